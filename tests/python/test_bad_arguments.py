#!/usr/bin/env python3
# tests/python/test_bad_arguments.py: no bad argument kills the process
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every function of Isle-1.gir (read from the GIR itself, so a new function
# is covered without anyone writing its test) is called, each in a forked
# child, first with all-zero arguments (NULL pointers, 0, FALSE), then with
# a plain GObject wherever it takes a GObject of Isle's. Caller input must be
# reported (a critical, a GError), never kill the process: the child must
# exit normally. Functions that need a display run only when there is one.

import ctypes
import os
import sys
import xml.etree.ElementTree as ET

import gi


CORE = '{http://www.gtk.org/introspection/core/1.0}'
C_NS = '{http://www.gtk.org/introspection/c/1.0}'

FLOATS = {'gdouble': ctypes.c_double, 'gfloat': ctypes.c_float, 'double': ctypes.c_double}

# GObject types of other libraries that Isle's functions take and check.
OTHER_GOBJECTS = {'Gtk.Widget', 'Gio.Settings', 'Gio.Cancellable', 'GObject.Object'}

# Widget classes of other libraries that Isle's classes derive from.
WIDGET_ROOTS = {'Gtk.Widget'}


def widget_functions(ns):
    """The C identifiers of every constructor, method and function of a
    class that derives from a GTK widget (found in the GIR's namespace @ns,
    so a new widget class is covered): GTK needs a display even for a zero
    call of those."""
    parents = {c.get('name'): c.get('parent') for c in ns.findall(CORE + 'class')}

    def is_widget(name):
        seen = set()
        while name is not None and name not in seen:
            if name in WIDGET_ROOTS:
                return True
            seen.add(name)
            name = parents.get(name)
        return False

    idents = set()
    for c in ns.findall(CORE + 'class'):
        if not is_widget(c.get('name')):
            continue
        for node in c:
            if node.tag in (CORE + 'function', CORE + 'method', CORE + 'constructor'):
                idents.add(node.get(C_NS + 'identifier'))
    return idents


def functions(ns):
    """Yields (c identifier, [C types of the parameters], [whether each is
    a GObject whose type the function can check])."""
    gobject_classes = {c.get('name') for c in ns.findall(CORE + 'class')}
    for node in ns.iter():
        if node.tag not in (CORE + 'function', CORE + 'method', CORE + 'constructor'):
            continue
        ident = node.get(C_NS + 'identifier')
        if ident is None or node.get('moved-to') or node.get('shadowed-by'):
            continue
        params = node.find(CORE + 'parameters')
        types, objects = [], []
        varargs = False
        if params is not None:
            for p in params:
                if p.tag not in (CORE + 'parameter', CORE + 'instance-parameter'):
                    continue
                if p.find(CORE + 'varargs') is not None:
                    varargs = True
                    break
                t = p.find(CORE + 'type')
                ctype = t.get(C_NS + 'type') if t is not None else 'gpointer'
                name = t.get('name') if t is not None else ''
                types.append(ctype or 'gpointer')
                objects.append(name in gobject_classes or name in OTHER_GOBJECTS)
        if not varargs:
            yield ident, types, objects


def c_args(types, objects, bad_object):
    args = []
    for ctype, is_object in zip(types, objects):
        ctype_clean = ctype.replace('const ', '').strip()
        if ctype_clean in FLOATS:
            args.append(FLOATS[ctype_clean](0.0))
        elif '*' in ctype_clean or ctype_clean in ('gpointer', 'gconstpointer'):
            args.append(ctypes.c_void_p(bad_object if is_object else None))
        else:
            args.append(ctypes.c_int64(0))
    return args


def call_in_child(lib, ident, args, init_gtk):
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        try:
            # A display connection of its own: children that shared the
            # parent's would each move its request count behind the other
            # children's back, and the next one to talk to the X server
            # would lose its connection.
            if init_gtk:
                from gi.repository import Gtk
                Gtk.init()
            func = getattr(lib, ident)
            func.restype = ctypes.c_void_p
            func(*args)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return status


def main():
    gir_path, lib_path = sys.argv[1], sys.argv[2]
    have_display = bool(os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY'))
    if have_display:
        gi.require_version('Gtk', '4.0')

    lib = ctypes.CDLL(lib_path)
    gobject = ctypes.CDLL('libgobject-2.0.so.0')
    gobject.g_object_new.restype = ctypes.c_void_p
    gobject.g_object_new.argtypes = [ctypes.c_size_t, ctypes.c_void_p]
    gobject.g_type_from_name.restype = ctypes.c_size_t
    gobject.g_type_from_name.argtypes = [ctypes.c_char_p]
    plain = gobject.g_object_new(gobject.g_type_from_name(b'GObject'), None)

    ns = ET.parse(gir_path).getroot().find(CORE + 'namespace')
    needs_display = widget_functions(ns)
    failures, calls, skipped = [], 0, 0
    for ident, types, objects in functions(ns):
        if ident in needs_display and not have_display:
            skipped += 1
            continue
        variants = [('all zero', c_args(types, objects, None))]
        if any(objects):
            variants.append(('a plain GObject', c_args(types, objects, plain)))
        for label, args in variants:
            calls += 1
            status = call_in_child(lib, ident, args, have_display)
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                how = ('signal %d' % os.WTERMSIG(status) if os.WIFSIGNALED(status)
                       else 'exit %d' % os.WEXITSTATUS(status))
                failures.append('%s (%s): %s' % (ident, label, how))

    print('%d calls of %s, %d skipped (no display)' % (calls, os.path.basename(gir_path), skipped))
    for failure in failures:
        print('killed the process:', failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
