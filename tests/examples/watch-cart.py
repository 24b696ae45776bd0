#!/usr/bin/env python3
# watch-cart.py: watch the cart of a running Isle Shop from Python
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The shop exports its cart on the session bus (an Isle.BusExport); this
# script mirrors it with an Isle.BusMirror: a local Isle.Map named "cart"
# that follows the shop's, whose listeners hear every change the shop
# makes, in its order. Start it before or after the shop, stop and start
# the shop: it says when it is online. Give it "add PRODUCT" to also put
# one PRODUCT in the cart, through the mirror.
#
#   GI_TYPELIB_PATH=_build/widgets LD_LIBRARY_PATH=_build/widgets \
#     /usr/bin/python3 tests/examples/watch-cart.py [add tea-green]

import sys

import gi

gi.require_version('Gio', '2.0')
gi.require_version('Isle', '1')
from gi.repository import Gio, GLib, Isle  # noqa: E402

SHOP = 'org.isletoolkit.IsleShop'
PATH = '/org/isletoolkit/IsleShop/stores'


def main(argv):
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    mirror = Isle.BusMirror.new(bus, SHOP, PATH)
    cart = Isle.Map.new('cart', None)
    mirror.add_store(cart)
    to_add = argv[2] if len(argv) == 3 and argv[1] == 'add' else None

    def changed(store, value, old_value):
        lines = {k: v for k, v in value.unpack().items() if isinstance(v, int) and v > 0}
        print('cart:', ', '.join('%d × %s' % (n, k) for k, n in sorted(lines.items()))
              or 'empty', flush=True)

    def connected(mirror, pspec):
        nonlocal to_add
        print('online' if mirror.props.connected else 'offline', flush=True)
        if mirror.props.connected and to_add is not None:
            line = cart.get_key(to_add)
            cart.set_key(to_add, GLib.Variant('i', (line.unpack() if line else 0) + 1))
            to_add = None

    def error(mirror, store, error):
        print('error:', error.message, file=sys.stderr, flush=True)

    cart.listen(changed)
    mirror.connect('notify::connected', connected)
    mirror.connect('store-error', error)
    print('waiting for Isle Shop', flush=True)
    GLib.MainLoop().run()


if __name__ == '__main__':
    main(sys.argv)
