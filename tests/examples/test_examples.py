#!/usr/bin/python3
# The Python examples (example_add_button.py, example_cart_badge.py) in a
# window: clicking Add changes the badge, and so does C or any other pane
# setting the registry's cart. Needs a display.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys
import time
import unittest

if not os.environ.get('DISPLAY') and not os.environ.get('WAYLAND_DISPLAY'):
    print('skipped: no display')
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from example_add_button import AddButton  # noqa: E402
from example_cart_badge import CartBadge  # noqa: E402
from gi.repository import GLib, Gtk, Isle  # noqa: E402


def run_until(predicate, timeout=5.0):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        context.iteration(False)
        time.sleep(0.002)
    return True


class ExamplesTest(unittest.TestCase):

    def test_add_updates_badge(self):
        window = Gtk.Window(title='Python examples')
        box = Gtk.Box(spacing=6)
        add = AddButton()
        badge = CartBadge()
        box.append(add)
        box.append(badge)
        window.set_child(box)
        window.present()

        button = add.get_child()
        label = badge.get_child()
        self.assertEqual(button.get_label(), 'Add')
        cart = Isle.Registry.get_default().lookup('cart')
        self.assertIsNotNone(cart)
        self.assertTrue(run_until(lambda: label.get_label() == '0 in cart'), label.get_label())

        # As a user would: the button's own activation, through GTK.
        button.activate()
        self.assertTrue(run_until(lambda: cart.value == 1))
        self.assertTrue(run_until(lambda: label.get_label() == '1 in cart'), label.get_label())
        button.emit('clicked')
        self.assertEqual(cart.value, 2)
        self.assertTrue(run_until(lambda: label.get_label() == '2 in cart'), label.get_label())

        # Another pane setting the cart is seen too.
        cart.set_int(10)
        self.assertTrue(run_until(lambda: label.get_label() == '10 in cart'), label.get_label())
        window.destroy()


if __name__ == '__main__':
    unittest.main(verbosity=2)
