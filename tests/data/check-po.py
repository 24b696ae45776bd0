#!/usr/bin/python3
# tests/data/check-po.py: every translation is complete. The strings are
# extracted afresh from po/POTFILES.in (as `ninja isle-pot` does), and each
# language of po/LINGUAS must translate every one of them, none fuzzy
# (msgcmp counts untranslated and fuzzy entries as missing), with format
# specifiers matching (msgfmt --check). Also: every source file that marks
# a string for translation is listed in POTFILES.in, and the Python plugins
# pass no bare string literal to a widget's label.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import subprocess
import sys
import tempfile

source_root = sys.argv[1]
po_dir = os.path.join(source_root, 'po')
failures = []


def listed(name):
    with open(os.path.join(po_dir, name), encoding='utf-8') as f:
        return [w for line in f for w in line.split('#')[0].split()]


potfiles = listed('POTFILES.in')
languages = listed('LINGUAS')

# Sources with a translatable string but not in POTFILES.in: xgettext
# would never see them.
MARK = re.compile(r'\b(?:N?C?_|g_dgettext|g_dngettext|ngettext|gettext)\s*\(|translatable="yes"')
for top in ('app', 'widgets', 'stores', 'data'):
    for folder, _dirs, files in os.walk(os.path.join(source_root, top)):
        for name in files:
            if not name.endswith(('.c', '.ui', '.py', '.in')):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8') as f:
                text = f.read()
            rel = os.path.relpath(path, source_root)
            if MARK.search(text) and rel not in potfiles:
                failures.append(f'{rel} has translatable strings but is not in po/POTFILES.in')
            if name.endswith('.py'):
                for m in re.finditer(r'\b(label|title|tooltip_text|placeholder_text)\s*=\s*[\'"]', text):
                    line = text.count('\n', 0, m.start()) + 1
                    failures.append(f'{rel}:{line}: a bare string for {m.group(1)}, not _()')

with tempfile.TemporaryDirectory() as tmp:
    pot = os.path.join(tmp, 'isle.pot')
    # The keywords of meson's glib preset, and po/meson.build's own.
    subprocess.run(['xgettext', '--from-code=UTF-8', '--add-comments',
                    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2',
                    '--keyword=NC_:1c,2', '--keyword=g_dcgettext:2',
                    '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
                    '--keyword=Description',
                    '--directory', source_root, '--output', pot] + potfiles,
                   check=True)
    for lang in languages:
        po = os.path.join(po_dir, lang + '.po')
        check = subprocess.run(['msgfmt', '--check', '-o', os.devnull, po],
                               capture_output=True, text=True)
        if check.returncode != 0:
            failures.append(f'po/{lang}.po: msgfmt --check:\n{check.stderr}')
        cmp = subprocess.run(['msgcmp', po, pot], capture_output=True, text=True)
        if cmp.returncode != 0:
            failures.append(f'po/{lang}.po lacks translations (untranslated, fuzzy or missing; '
                            f'run ninja isle-update-po):\n{cmp.stderr}')

for failure in failures:
    print('not ok:', failure)
if failures:
    sys.exit(1)
print(f'ok: {len(languages)} languages translate every string of {len(potfiles)} files')
