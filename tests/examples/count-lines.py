#!/usr/bin/env python3
# count-lines.py FILE...: prints the lines of C in each file (neither blank
# nor comment, the includes counted) and fails if one has more than 20.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import re
import sys

LIMIT = 20
status = 0

for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        text = f.read()
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    lines = [line for line in text.splitlines() if line.strip()]
    verdict = 'ok' if len(lines) <= LIMIT else 'TOO LONG'
    print('%s: %d lines of C (limit %d): %s' % (path.rsplit('/', 1)[-1], len(lines), LIMIT, verdict))
    if len(lines) > LIMIT:
        status = 1

sys.exit(status)
