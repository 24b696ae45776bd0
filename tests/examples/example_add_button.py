# example_add_button.py: a button that adds one item to the cart
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
import gi
gi.require_version('Gtk', '4.0')
gi.require_version('Isle', '1')
from gi.repository import Gtk, Isle  # noqa: E402


class AddButton(Isle.Island):
    def do_setup(self):
        cart = Isle.atom('cart', 0)               # the registry's, shared with C
        button = Gtk.Button(label='Add')
        self.on(button, 'clicked', lambda: cart.add_int(1))
        self.set_child(button)
