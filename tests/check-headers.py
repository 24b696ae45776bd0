#!/usr/bin/python3
# Checks the public headers: each one starts with #pragma once, forces the
# umbrella header (unless it is one), and includes no private header.
#
# Usage: check-headers.py HEADER...

import os
import re
import sys

UMBRELLAS = ('isle.h', 'isle-stores.h')
GUARD = re.compile(r'#if !defined \(ISLE_INSIDE\) && !defined \(ISLE_COMPILATION\)')
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def main(paths):
    problems = []
    for path in paths:
        name = os.path.basename(path)
        text = open(path, encoding='utf-8').read()
        if '#pragma once' not in text:
            problems.append(f'{name}: no #pragma once')
        if name not in UMBRELLAS and not GUARD.search(text):
            problems.append(f'{name}: does not force the umbrella header')
        for include in INCLUDE.findall(text):
            if include.endswith('-private.h'):
                problems.append(f'{name}: includes the private header {include}')
    for problem in problems:
        print(problem)
    print(f'{len(paths)} headers checked, {len(problems)} problems')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
