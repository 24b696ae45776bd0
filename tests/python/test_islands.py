#!/usr/bin/python3
# Islands from Python: a Python subclass of Isle.Island is a full island,
# and a pane written in Python shares the same atom with a pane written in
# C (isle-island-peer.c, loaded with ctypes). Needs a display (the suite
# runs under xvfb-run).

import ctypes
import gc
import os
import sys
import time
import unittest

import gi

# GTK widgets need a display (the suite runs under xvfb-run); without one,
# defining a GtkWidget subclass already crashes: report a skip to meson.
if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    print('skipped: no display')
    sys.exit(77)

gi.require_version('Gtk', '4.0')
gi.require_version('Isle', '1')
from gi.repository import GLib, GObject, Gtk, Isle  # noqa: E402

ATOM = 'py-islands-cart'


def run_until(predicate, timeout=5.0):
    """Runs the main loop until predicate() holds, or fails after timeout."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        context.iteration(False)
        time.sleep(0.002)
    return True


def find_window(title):
    toplevels = Gtk.Window.get_toplevels()
    for i in range(toplevels.get_n_items()):
        window = toplevels.get_item(i)
        if window.get_title() == title:
            return window
    return None


class AddIsland(Isle.Island):
    """An island that adds one to the cart when its button is clicked."""

    __gtype_name__ = 'PyAddIsland'

    def __init__(self, atom, **kwargs):
        self.atom = atom
        self.setup_runs = 0
        self.button = None
        super().__init__(**kwargs)

    def do_setup(self):
        self.setup_runs += 1
        count = self.use_atom(self.atom)
        self.count = count
        self.button = Gtk.Button(label='Add')
        # The action is given the island: capturing self instead would make
        # a cycle through the button that keeps the island alive.
        self.connect_action(self.button, 'clicked', lambda island: island.atom.set_int(island.atom.get_int() + 1))
        self.set_child(self.button)


class PyBadge(Isle.Island):
    """A badge island written in Python, with a derived text."""

    __gtype_name__ = 'PyBadgeIsland'

    def __init__(self, atom, **kwargs):
        self.atom = atom
        self.label = None
        super().__init__(**kwargs)

    def do_setup(self):
        count = self.use_atom(self.atom)
        graph = self.get_graph()
        text = Isle.Derived.new(graph, GObject.TYPE_STRING,
                                lambda d: '%d in cart (Python)' % count.get_int())
        self.label = Gtk.Label()
        self.bind_derived(text, self.label, 'label', None)
        self.set_child(self.label)


@unittest.skipUnless(Gtk.init_check(), 'no display')
class IslandsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.peer = ctypes.CDLL(os.environ['ISLE_TEST_ISLAND_PEER'])
        cls.peer.isle_test_peer_present_badge_window.argtypes = [ctypes.c_char_p]
        cls.peer.isle_test_peer_set_atom.argtypes = [ctypes.c_char_p, ctypes.c_int]

    def setUp(self):
        self.atom = Isle.Registry.get_default().ensure_atom(ATOM, GLib.VariantType.new('i'), None)
        self.atom.set_stop_delay(0)
        self.atom.set_int(0)
        self.assertEqual(self.atom.get_n_listeners(), 0)

    def test_python_island_syncs_with_c_island(self):
        self.peer.isle_test_peer_present_badge_window(ATOM.encode())
        window = find_window('Isle C peer')
        self.assertIsNotNone(window)
        box = window.get_child()
        c_badge = box.get_first_child()
        self.assertIsInstance(c_badge, Isle.Island)
        self.assertEqual(c_badge.get_name(), 'c-badge')
        c_label = c_badge.get_child()

        adder = AddIsland(self.atom, activation=Isle.Activation.VISIBLE)
        py_badge = PyBadge(self.atom, activation=Isle.Activation.LOAD)
        box.append(adder)
        box.append(py_badge)

        self.assertTrue(run_until(lambda: adder.get_phase() == Isle.IslandPhase.ACTIVE))
        self.assertEqual(adder.setup_runs, 1)
        self.assertTrue(run_until(lambda: c_label.get_label() == '0 in cart (C)'))
        self.assertTrue(run_until(lambda: py_badge.label.get_label() == '0 in cart (Python)'))

        # Real clicks on the Python island reach the C island through the
        # atom. (A GtkButton shows itself pressed for a moment after
        # activation and ignores a second one meanwhile: wait for each.)
        adder.button.activate()
        self.assertTrue(run_until(lambda: self.atom.get_int() == 1))
        adder.button.activate()
        self.assertTrue(run_until(lambda: self.atom.get_int() == 2))
        self.assertTrue(run_until(lambda: c_label.get_label() == '2 in cart (C)'),
                        c_label.get_label())
        self.assertTrue(run_until(lambda: py_badge.label.get_label() == '2 in cart (Python)'))
        self.assertEqual(self.atom.get_int(), 2)

        # A set made from C reaches the Python islands.
        self.peer.isle_test_peer_set_atom(ATOM.encode(), 40)
        self.assertTrue(run_until(lambda: py_badge.label.get_label() == '40 in cart (Python)'))
        self.assertTrue(run_until(lambda: adder.count.get_int() == 40))

        # A write to the Python island's mirror state goes through the atom.
        adder.count.set_int(41)
        self.assertTrue(run_until(lambda: self.atom.get_int() == 41))
        self.assertTrue(run_until(lambda: c_label.get_label() == '41 in cart (C)'))

        # Three islands listen; when the window goes, none does.
        self.assertEqual(self.atom.get_n_listeners(), 3)
        window.destroy()
        del adder, py_badge, c_badge, c_label, box, window
        gc.collect()
        self.assertTrue(run_until(lambda: self.atom.get_n_listeners() == 0),
                        self.atom.get_n_listeners())

    def test_bind_with_a_python_transform(self):
        """bind_state/bind_derived with a Python function that returns the
        property's value: the label follows; a transform that raises is
        reported and puts the island in its error state."""
        labels = {}

        def setup(island):
            count = island.use_atom(self.atom)
            graph = island.get_graph()
            doubled = Isle.Derived.new(graph, GObject.TYPE_INT, lambda d: count.get_int() * 2)
            box = Gtk.Box()
            labels['state'] = Gtk.Label()
            labels['derived'] = Gtk.Label()
            labels['visible'] = Gtk.Label()
            box.append(labels['state'])
            box.append(labels['derived'])
            box.append(labels['visible'])
            island.bind_state(count, labels['state'], 'label', lambda n: '%d items' % n)
            island.bind_derived(doubled, labels['derived'], 'label', lambda n: 'x2 = %d' % n)
            # Any type that converts: an int for a boolean property.
            island.bind_state(count, labels['visible'], 'visible', lambda n: n % 2)
            island.set_child(box)

        window = Gtk.Window()
        island = Isle.Island.new_with_setup(Isle.Activation.LOAD, setup)
        window.set_child(island)
        window.present()
        self.assertTrue(run_until(lambda: labels['state'].get_label() == '0 items'),
                        labels['state'].get_label())
        self.assertTrue(run_until(lambda: labels['derived'].get_label() == 'x2 = 0'))
        self.assertFalse(labels['visible'].get_visible())
        self.atom.set_int(3)
        self.assertTrue(run_until(lambda: labels['state'].get_label() == '3 items'))
        self.assertTrue(run_until(lambda: labels['derived'].get_label() == 'x2 = 6'))
        self.assertTrue(labels['visible'].get_visible())
        window.destroy()
        labels.clear()

        # A transform that raises: reported, the island shows its error.
        def broken_setup(island):
            count = island.use_atom(self.atom)
            label = Gtk.Label(label='before')
            island.bind_state(count, label, 'label', lambda n: 1 // 0)
            island.set_child(label)

        window = Gtk.Window()
        broken = Isle.Island.new_with_setup(Isle.Activation.LOAD, broken_setup)
        window.set_child(broken)
        window.present()
        self.assertTrue(run_until(lambda: broken.get_phase() == Isle.IslandPhase.FAILED),
                        broken.get_phase())
        self.assertIn('raised an exception', broken.get_error().message)
        window.destroy()
        del island, broken, window
        gc.collect()
        self.assertTrue(run_until(lambda: self.atom.get_n_listeners() == 0),
                        self.atom.get_n_listeners())

    def test_new_with_setup_and_use_store(self):
        """An island built without subclassing (new_with_setup, in 'load'
        mode) that mirrors a map with use_store: seeded, following, its
        own writes staying in the island, and let go with the island."""
        cart = Isle.Map.new('py-islands-map', None)
        seen = {}

        def setup(island):
            # Not the island itself: see isle_island_new_with_setup ().
            seen['mirror'] = island.use_store(cart)
            seen['graph'] = island.get_graph()

        island = Isle.Island.new_with_setup(Isle.Activation.LOAD, setup)
        self.assertIs(seen['graph'], island.get_graph())
        self.assertEqual(island.get_phase(), Isle.IslandPhase.ACTIVE)
        mirror = seen['mirror']
        self.assertEqual(mirror.get_value_type(), GObject.TYPE_VARIANT)
        self.assertEqual(mirror.get_variant().unpack(), {})
        self.assertEqual(cart.get_n_listeners(), 1)

        cart.set_key('tea', GLib.Variant('i', 2))
        self.assertEqual(mirror.get_variant().unpack(), {'tea': 2})

        # A write to the mirror stays in the island: a map is no atom.
        mirror.set_variant(GLib.Variant('a{sv}', {}))
        island.get_graph().flush()
        self.assertEqual(cart.get_key('tea').unpack(), 2)

        # The setup function (held by the island's handler) holds `seen`:
        # empty it, or it keeps the island alive through that cycle.
        seen.clear()
        del island, mirror
        gc.collect()
        self.assertTrue(run_until(lambda: cart.get_n_listeners() == 0), cart.get_n_listeners())

    def test_python_island_phases_and_error_boundary(self):
        window = Gtk.Window()
        box = Gtk.Box()
        window.set_child(box)

        class Broken(Isle.Island):
            __gtype_name__ = 'PyBrokenIsland'

            def do_setup(self):
                state = self.get_graph()
                count = Isle.State.new_int(state, 0)
                Isle.Effect.new(state, lambda e: 1 // count.get_int())
                self.set_child(Gtk.Label(label='never shown'))

        messages = []

        def handler(domain, level, message):
            messages.append(message)

        handler_id = GLib.log_set_handler('Isle', GLib.LogLevelFlags.LEVEL_WARNING, handler)
        try:
            broken = Broken(activation=Isle.Activation.WHEN)
            sibling = PyBadge(self.atom, activation=Isle.Activation.IDLE)
            box.append(broken)
            box.append(sibling)
            window.present()

            self.assertEqual(broken.get_phase(), Isle.IslandPhase.WAITING)
            self.assertTrue(run_until(lambda: sibling.get_phase() == Isle.IslandPhase.ACTIVE))
            broken.set_condition(True)
            self.assertTrue(run_until(lambda: broken.get_phase() == Isle.IslandPhase.FAILED))
            self.assertIn('failed', broken.get_error().message)
            self.assertTrue(any('failed' in m for m in messages), messages)

            # The sibling goes on.
            self.atom.set_int(5)
            self.assertTrue(run_until(lambda: sibling.label.get_label() == '5 in cart (Python)'))
        finally:
            GLib.log_remove_handler('Isle', handler_id)
            window.destroy()

        # Once Python lets go too, the islands are disposed: the sibling's
        # subscription goes with it.
        del broken, sibling, box, window
        gc.collect()
        self.assertTrue(run_until(lambda: self.atom.get_n_listeners() == 0),
                        self.atom.get_n_listeners())


if __name__ == '__main__':
    unittest.main(verbosity=2)
