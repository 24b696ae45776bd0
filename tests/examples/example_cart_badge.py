# example_cart_badge.py: a badge that shows how many items the cart holds
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
import gi
gi.require_version('Gtk', '4.0')
gi.require_version('Isle', '1')
from gi.repository import Gtk, Isle  # noqa: E402


class CartBadge(Isle.Island):
    def do_setup(self):
        count = self.use_atom(Isle.atom('cart', 0))   # a state mirroring the atom
        label = Gtk.Label()
        self.bind(self.derived(lambda: f'{count.value} in cart'), label, 'label')
        self.set_child(label)
