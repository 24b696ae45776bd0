#!/usr/bin/python3
# The short forms from Python: typed atom updates, the registry's scalar
# shortcuts, node look-ups by name, stores as actions, format bindings,
# island effects, islands named after their Python class, and islands
# bound to stores from a .ui file with no code. Needs a display.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys
import time
import unittest

import gi

if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    print('skipped: no display')
    sys.exit(77)

gi.require_version('Gtk', '4.0')
gi.require_version('Isle', '1')
from gi.repository import Gio, GLib, Gtk, Isle  # noqa: E402


def run_until(predicate, timeout=5.0):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        context.iteration(False)
        time.sleep(0.002)
    return True


def run_pending():
    context = GLib.MainContext.default()
    for _ in range(1000):
        if not context.iteration(False):
            break


class CounterPane(Isle.Island):
    """A pane with no __gtype_name__: PyGObject names its type
    'test_helpers+CounterPane' (or '__main__+CounterPane')."""

    def do_setup(self):
        count = Isle.State.new_int(self.get_graph(), 1)
        count.set_name('count')
        self.set_child(Gtk.Label())
        self.bind_state_format(count, self.get_child(), 'label', '%d items')
        self.add_effect('check count', self.check)

    @staticmethod
    def check(island):
        if island.lookup_state('count').get_int() < 0:
            raise ValueError('negative count')


class HelpersTest(unittest.TestCase):

    def setUp(self):
        self.registry = Isle.Registry.get_default()

    def test_atom_add_and_toggle(self):
        count = Isle.Atom.new_int('py-add', 40)
        self.assertEqual(count.add_int(2), 42)
        self.assertEqual(count.add_int(-50), -8)
        self.assertEqual(count.get_int(), -8)
        flag = Isle.Atom.new_boolean('py-flag', False)
        self.assertTrue(flag.toggle())
        self.assertFalse(flag.toggle())
        self.assertEqual(Isle.Atom.new_double('py-d', 1.0).add_double(0.5), 1.5)
        self.assertEqual(Isle.Atom.new_int64('py-x', 1 << 40).add_int64(1), (1 << 40) + 1)

    def test_registry_shortcuts(self):
        a = self.registry.ensure_int('py-shortcut', 3)
        self.assertEqual(a.get_int(), 3)
        a.add_int(1)
        self.assertIs(self.registry.ensure_int('py-shortcut', 0), a)
        self.assertEqual(self.registry.ensure_int('py-shortcut', 0).get_int(), 4)
        self.assertTrue(self.registry.ensure_boolean('py-shortcut-b', True).get_boolean())
        self.assertEqual(self.registry.ensure_string('py-shortcut-s', 'x').dup_string(), 'x')
        self.assertEqual(self.registry.ensure_double('py-shortcut-d', 0.5).get_double(), 0.5)
        self.assertEqual(self.registry.ensure_int64('py-shortcut-x', 7).get_int64(), 7)
        for name in ('py-shortcut', 'py-shortcut-b', 'py-shortcut-s', 'py-shortcut-d',
                     'py-shortcut-x'):
            self.assertTrue(self.registry.remove(name))

    def test_graph_lookup(self):
        graph = Isle.Graph.new()
        count = Isle.State.new_int(graph, 5)
        count.set_name('count')
        self.assertEqual(graph.lookup_state('count').get_int(), 5)
        self.assertIsNone(graph.lookup_state('nothing'))
        self.assertIsNone(graph.lookup_derived('count'))

    def test_store_action(self):
        count = Isle.Atom.new_int('pycount', 1)
        action = count.create_action()
        self.assertEqual(action.get_name(), 'pycount')
        action.activate(GLib.Variant('i', 4))
        self.assertEqual(count.get_int(), 4)
        run_pending()
        self.assertEqual(action.get_state().unpack(), 4)
        count.set_int(6)
        run_pending()
        self.assertEqual(action.get_state().unpack(), 6)

        dark = Isle.Atom.new_boolean('pydark', False)
        toggle = dark.create_action()
        self.assertIsNone(toggle.get_parameter_type())
        toggle.activate(None)
        self.assertTrue(dark.get_boolean())

    def test_named_python_island(self):
        pane = CounterPane()
        window = Gtk.Window()
        window.set_child(pane)
        window.present()
        label = pane.get_child()
        self.assertTrue(run_until(lambda: label.get_label() == '1 items'))
        # Named after the Python class, not "IsleIsland".
        self.assertEqual(pane.get_graph().get_name(), 'CounterPane')

        pane.lookup_state('count').set_int(3)
        self.assertTrue(run_until(lambda: label.get_label() == '3 items'))

        pane.lookup_state('count').set_int(-1)
        self.assertTrue(run_until(lambda: pane.get_phase() == Isle.IslandPhase.FAILED))
        message = pane.get_error().message
        self.assertIn('effect “check count”', message)
        self.assertIn('CounterPane', message)
        window.destroy()
        run_pending()

    def test_ui_file(self):
        cart = self.registry.ensure_int('py-ui-cart', 2)
        group = Gio.SimpleActionGroup()
        group.add_action(cart.create_action())
        builder = Gtk.Builder.new_from_string('''
<interface>
  <object class="GtkBox" id="box">
    <child>
      <object class="IsleIsland" id="badge">
        <property name="store-name">py-ui-cart</property>
        <property name="format">%d in cart</property>
        <property name="child">
          <object class="GtkLabel" id="label">
            <binding name="label"><lookup name="text">badge</lookup></binding>
          </object>
        </property>
      </object>
    </child>
    <child>
      <object class="GtkButton" id="add">
        <property name="action-name">shop.py-ui-cart</property>
        <property name="action-target">10</property>
      </object>
    </child>
  </object>
</interface>''', -1)
        box = builder.get_object('box')
        box.insert_action_group('shop', group)
        window = Gtk.Window()
        window.set_child(box)
        window.present()
        label = builder.get_object('label')
        self.assertTrue(run_until(lambda: label.get_label() == '2 in cart'))
        cart.set_int(3)
        self.assertTrue(run_until(lambda: label.get_label() == '3 in cart'))
        builder.get_object('add').emit('clicked')
        self.assertEqual(cart.get_int(), 10)
        self.assertTrue(run_until(lambda: label.get_label() == '10 in cart'))
        window.destroy()
        run_pending()
        self.assertTrue(self.registry.remove('py-ui-cart'))


if __name__ == '__main__':
    unittest.main(verbosity=2)
