# recently_added.py: the "Recently Added" pane of Isle Shop, a plugin in
# Python (libpeas, python3 loader) written with gi.overrides.Isle.
#
# It never sees the C panes: it shares the registry's "cart" map with
# them, so an Add on a product card shows here, and "Remove One" here
# changes the badge in the header bar.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import gi

gi.require_version('Gtk', '4.0')
gi.require_version('Isle', '1')
from gi.repository import Gio, GLib, GObject, Gtk, Isle  # noqa: E402


def _(text):
    # The program's own catalogue (app/main.c binds it).
    return GLib.dgettext('isle', text)


def product_names():
    """Product id -> name, in the user's language, from the catalogue
    the program carries in its resources."""
    keyfile = GLib.KeyFile()
    data = Gio.resources_lookup_data('/org/isletoolkit/IsleShop/catalogue.ini',
                                     Gio.ResourceLookupFlags.NONE)
    keyfile.load_from_bytes(data, GLib.KeyFileFlags.NONE)
    return {group[len('Product '):]: keyfile.get_locale_string(group, 'Name', None)
            for group in keyfile.get_groups()[0] if group.startswith('Product ')}


class RecentlyAdded(Isle.Island):
    """The product added to the cart last, and a button that takes one
    back out."""

    __gtype_name__ = 'ShopPyRecentlyAdded'

    def do_setup(self):
        names = product_names()
        cart = Isle.lookup('cart')
        lines = self.use_atom(cart)       # the cart's lines, as a state
        last = self.state('')             # the id added last

        @self.effect
        def follow():
            def changed(value, old):
                grown = [k for k, n in value.items() if n > (old or {}).get(k, 0)]
                if grown:
                    last.value = grown[-1]
            return cart.listen(changed)   # the cleanup: unsubscribed with the island

        name = self.derived(lambda: names.get(last.value, last.value), type=str)
        text = self.derived(lambda: _('Recently added: %s') % name.value if last.value
                            else _('Nothing added yet'), type=str)
        in_cart = self.derived(lambda: last.value in lines.value.unpack(), type=bool)

        def take_one_back():
            n = cart.get(last.value, 0)
            if n > 1:
                cart[last.value] = n - 1
            elif n == 1:
                del cart[last.value]

        box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6)
        heading = Gtk.Label(label=_('Recently Added'), xalign=0)
        heading.add_css_class('heading')
        label = Gtk.Label(xalign=0)
        button = Gtk.Button(halign=Gtk.Align.START)
        self.bind(text, label, 'label')
        self.bind(name, button, 'label', lambda n: _('Remove One %s') % n if n else _('Remove One'))
        self.bind(in_cart, button, 'sensitive')
        self.on(button, 'clicked', take_one_back)
        for child in (heading, label, button):
            box.append(child)
        self.set_child(box)


class RecentlyAddedProvider(GObject.Object, Isle.PaneProvider):
    """The plugin: one pane, below the products."""

    def do_create_pane(self):
        return RecentlyAdded(name='recently-added (Python)')

    def do_dup_placement(self):
        return 'products'
