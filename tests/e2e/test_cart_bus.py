#!/usr/bin/env python3
# tests/e2e/test_cart_bus.py: the running Isle Shop's cart from other
# processes
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Isle Shop driven through AT-SPI as in test_shop.py (whose private
# session bus and helpers this reuses), with three other programs on the
# same bus: this Python process mirroring the cart through Isle.BusMirror,
# tests/examples/watch-cart.py, and `isle-shop --cart`. Pressing "Add" is
# heard by both Python mirrors; a set from Python changes the badge; the
# command prints and adds; a hostile value is refused; when the shop quits
# the mirror goes offline and keeps the cart.

import os
import queue
import subprocess
import sys
import threading
import unittest

import gi

gi.require_version('Isle', '1')
from gi.repository import Gio, GLib, Isle  # noqa: E402

import test_shop  # noqa: E402
from test_shop import setUpModule, tearDownModule, wait_until  # noqa: E402,F401

SHOP_NAME = 'org.isletoolkit.IsleShop'
CART_PATH = '/org/isletoolkit/IsleShop/stores'
WATCH_CART = os.path.join(test_shop.SOURCE_ROOT, 'tests', 'examples', 'watch-cart.py')


class Lines:
    """The lines a child process prints, read in a thread."""

    def __init__(self, process):
        self.process = process
        self.queue = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.queue.put(line.rstrip('\n'))

    def wait_for(self, expected, timeout=test_shop.UPDATE_TIMEOUT):
        while True:
            if expected in self.seen:
                return
            try:
                self.seen.append(self.queue.get(timeout=timeout))
            except queue.Empty:
                raise AssertionError('watch-cart.py never printed %r (it printed %r)'
                                     % (expected, self.seen))


class TestCartOnBus(test_shop.ShopTestCase):

    def cart_command(self, shop, *args):
        return subprocess.run([test_shop.BINARY, '--cart'] + list(args), env=shop.environment(),
                              capture_output=True, text=True, timeout=30)

    def test_cart_shared_on_the_bus(self):
        (product_id, name, _), = test_shop.catalogue()[:1]
        shop = self.start_shop()
        shop.wait_badge(shop.count_name(0))

        watcher = subprocess.Popen([sys.executable, WATCH_CART], stdout=subprocess.PIPE,
                                   text=True, env=dict(os.environ))
        self.addCleanup(watcher.stdout.close)
        self.addCleanup(watcher.wait, 10)
        self.addCleanup(watcher.terminate)
        watched = Lines(watcher)
        watched.wait_for('online')

        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        mirror = Isle.BusMirror.new(bus, SHOP_NAME, CART_PATH)
        cart = Isle.Map.new('cart', None)
        self.assertTrue(mirror.add_store(cart))
        heard = []
        cart.listen(lambda store, value, old: heard.append(value.unpack()))
        wait_until(lambda: mirror.props.connected, 'the mirror of the cart to be online')

        # "Add", pressed as a screen reader would: both mirrors hear it.
        shop.add(name, 1)
        wait_until(lambda: heard and heard[-1].get(product_id) == 1,
                   lambda: 'the Python mirror to hear the line (it heard %r)' % heard)
        watched.wait_for('cart: 1 × %s' % product_id)

        # Python sets: the badge changes.
        cart.set_key(product_id, GLib.Variant('i', 3))
        shop.wait_badge(shop.count_name(3))

        # The command prints the cart, and adds to it.
        printed = self.cart_command(shop)
        self.assertEqual(printed.returncode, 0, printed.stderr)
        self.assertIn('3 × %s (%s)' % (name, product_id), printed.stdout)
        added = self.cart_command(shop, 'add', product_id, '2')
        self.assertEqual(added.returncode, 0, added.stderr)
        shop.wait_badge(shop.count_name(5))
        wait_until(lambda: cart.get_key(product_id).unpack() == 5, 'the mirror to hear 5')
        unknown = self.cart_command(shop, 'add', 'no-such-product')
        self.assertEqual(unknown.returncode, 1)
        self.assertIn('no-such-product', unknown.stderr)

        # A hostile value from another program: refused, naming the store.
        hostile = subprocess.run(['gdbus', 'call', '--session', '--dest', SHOP_NAME,
                                  '--object-path', CART_PATH, '--method',
                                  'org.isletoolkit.Isle.Stores1.SetKey', 'cart', product_id,
                                  '<"lots">'],
                                 env=shop.environment(), capture_output=True, text=True,
                                 timeout=30)
        self.assertNotEqual(hostile.returncode, 0)
        self.assertIn('org.isletoolkit.Isle.Error.WrongType', hostile.stderr)
        self.assertIn('“cart”', hostile.stderr)
        shop.wait_badge(shop.count_name(5))

        # The shop quits: the mirrors go offline and keep the cart.
        self.assertEqual(shop.quit(), 0, 'Isle Shop did not quit cleanly:\n' + shop.output())
        wait_until(lambda: not mirror.props.connected, 'the mirror to go offline')
        self.assertEqual(cart.get_key(product_id).unpack(), 5)
        watched.wait_for('offline')
        not_running = subprocess.run([test_shop.BINARY, '--cart'], env=shop.environment(),
                                     capture_output=True, text=True, timeout=30)
        self.assertEqual(not_running.returncode, 1)
        self.assertIn('not running', not_running.stderr)


if __name__ == '__main__':
    unittest.main(verbosity=2)
