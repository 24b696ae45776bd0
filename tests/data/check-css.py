#!/usr/bin/python3
# tests/data/check-css.py: style.css parses without a single error, and (with
# a display) every @color it names is defined by GTK's theme. GTK resolves an
# unknown @name silently to a wrong colour, so only a test catches it.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import re
import sys

import gi

gi.require_version('Gdk', '4.0')
gi.require_version('Gtk', '4.0')
from gi.repository import Gdk, Gtk  # noqa: E402

path = sys.argv[1]
with open(path, encoding='utf-8') as f:
    css = f.read()

errors = []
provider = Gtk.CssProvider()
provider.connect('parsing-error',
                 lambda _p, section, error: errors.append(
                     f'{section.to_string()}: {error.message}'))
provider.load_from_path(path)
for error in errors:
    print(f'not ok: {error}')
if errors:
    sys.exit(1)
print(f'ok: {os.path.basename(path)} parses without errors')

# Comments may name colours too; only the rules count.
rules = re.sub(r'/\*.*?\*/', '', css, flags=re.S)
names = sorted(set(re.findall(r'@([A-Za-z_][A-Za-z0-9_-]*)', rules)))

# Colours by name only: a literal one (#fff, rgb(), white) stays the same
# in the dark and high-contrast variants, where the named ones change.
literal = re.findall(r'#[0-9A-Fa-f]{3,8}\b|\b(?:rgba?|hsla?)\s*\(|'
                     r':\s*(?:white|black|red|green|blue|yellow|gray|grey)\b', rules)
for value in literal:
    print(f'not ok: a literal colour ({value.strip(": ")}) where a named one follows the variants')
if literal:
    sys.exit(1)

# PyGObject calls gtk_init_check() on import and answers True from then on,
# display or not: ask GDK.
Gtk.init_check()
if Gdk.Display.get_default() is None:
    print('ok: no display, the theme colours were not checked')
    sys.exit(0)

# A widget's style context knows the theme's named colours
# (gtk_style_context_lookup_color() is not deprecated yet in GTK 4.8).
# Isle Shop runs on libadwaita, whose colours (@accent_bg_color) the plain
# GTK theme lacks: check against libadwaita's when it is there.
try:
    gi.require_version('Adw', '1')
    from gi.repository import Adw  # noqa: E402
    Adw.init()
except (ValueError, ImportError):
    pass
label = Gtk.Label()
context = label.get_style_context()
undefined = [name for name in names if not context.lookup_color(name)[0]]
for name in undefined:
    print(f'not ok: @{name} is not defined by the theme')
if undefined:
    sys.exit(1)
print(f'ok: the theme defines {", ".join("@" + n for n in names) or "no colours needed"}')
