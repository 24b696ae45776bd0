#!/usr/bin/env python3
# count-lines.py FILE...: prints the lines of code in each file (neither
# blank nor comment; includes and imports counted) and fails if one has
# more than its limit: 20 lines of C, 12 of Python.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import re
import sys

LIMITS = {'c': 20, 'py': 12}
status = 0

for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        text = f.read()
    language = 'py' if path.endswith('.py') else 'c'
    if language == 'c':
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        text = re.sub(r'//[^\n]*', '', text)
        lines = [line for line in text.splitlines() if line.strip()]
    else:
        # A comment line is one that starts with #; code followed by a
        # comment counts, and so would a docstring.
        lines = [line for line in text.splitlines()
                 if line.strip() and not line.strip().startswith('#')]
    limit = LIMITS[language]
    kind = 'Python' if language == 'py' else 'C'
    verdict = 'ok' if len(lines) <= limit else 'TOO LONG'
    print('%s: %d lines of %s (limit %d): %s'
          % (path.rsplit('/', 1)[-1], len(lines), kind, limit, verdict))
    if len(lines) > limit:
        status = 1

sys.exit(status)
