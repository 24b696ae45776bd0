#!/usr/bin/env python3
# tests/python/test_bus.py: a store of another process, mirrored in Python
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A C owner (tests/stores/bus-peer, ISLE_TEST_BUS_PEER) and this Python
# process on a private session bus (meson runs this under
# dbus-run-session): Isle.BusMirror through GObject introspection, its
# connected property, the store-error signal with a GLib.Error in the
# Isle.Error domain, an owner killed and started again, and an
# Isle.BusExport made in Python that the C side could read.

import os
import subprocess
import time
import unittest

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('Isle', '1')
from gi.repository import Gio, GLib, Isle  # noqa: E402

OWNER = 'org.isletoolkit.Isle.TestOwner'
PATH = '/org/isletoolkit/Isle/Test'
PEER = os.environ.get('ISLE_TEST_BUS_PEER')


def run_until(predicate, timeout=10.0):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        context.iteration(False)
        time.sleep(0.002)
    return predicate()


class Owner:
    """The C process that owns the stores."""

    def __init__(self, *args):
        self.process = subprocess.Popen([PEER] + list(args), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)
        assert self.process.stdout.readline().strip() == 'ready'

    def send(self, line):
        self.process.stdin.write(line + '\n')
        self.process.stdin.flush()

    def print(self, name):
        self.send('print ' + name)
        answer = self.process.stdout.readline().strip()
        assert answer.startswith(name + '='), answer
        return answer[len(name) + 1:]

    def quit(self):
        if self.process.poll() is None:
            self.send('quit')
            self.process.wait(10)

    def kill(self):
        self.process.kill()
        self.process.wait(10)


@unittest.skipUnless(PEER and os.environ.get('DBUS_SESSION_BUS_ADDRESS'),
                     'needs ISLE_TEST_BUS_PEER and a session bus')
class TestBus(unittest.TestCase):

    def setUp(self):
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self.owners = []

    def tearDown(self):
        for owner in self.owners:
            owner.quit()

    def start_owner(self, *args):
        owner = Owner(*args)
        self.owners.append(owner)
        return owner

    def mirror_of(self, *stores):
        mirror = Isle.BusMirror.new(self.bus, OWNER, PATH)
        for store in stores:
            self.assertTrue(mirror.add_store(store))
        return mirror

    def test_python_mirror_of_a_c_owner(self):
        owner = self.start_owner()
        count = Isle.Atom.new_int('count', 0)
        cart = Isle.Map.new('cart', None)
        mirror = self.mirror_of(count, cart)
        heard = []
        count.listen(lambda store, value, old: heard.append((old.unpack(), value.unpack())))

        self.assertTrue(run_until(lambda: mirror.props.connected))
        self.assertTrue(mirror.get_connected())
        self.assertIsNotNone(mirror.props.name_owner)
        self.assertEqual(count.get_int(), 7)
        self.assertEqual(heard, [(0, 7)])

        # The owner sets; the Python listener hears it.
        owner.send('set count 8')
        self.assertTrue(run_until(lambda: count.get_int() == 8))
        self.assertEqual(heard, [(0, 7), (7, 8)])

        # Python sets; the owner decides, and the local copy follows it.
        count.set_int(9)
        self.assertEqual(count.get_int(), 8)
        self.assertTrue(run_until(lambda: count.get_int() == 9))
        self.assertEqual(owner.print('count'), '9')
        self.assertEqual(heard, [(0, 7), (7, 8), (8, 9)])

        cart.set_key('tea', GLib.Variant('i', 2))
        self.assertTrue(run_until(lambda: cart.get_key('tea') is not None))
        self.assertEqual(cart.get_key('tea').unpack(), 2)
        self.assertIn("'tea': <2>", owner.print('cart'))

    def test_refused_values_come_back_as_errors(self):
        self.start_owner()
        count = Isle.Atom.new_int('count', 0)
        cart = Isle.Map.new('cart', None)
        mirror = self.mirror_of(count, cart)
        errors = []
        mirror.connect('store-error', lambda m, store, error: errors.append((store, error)))
        self.assertTrue(run_until(lambda: mirror.props.connected))

        count.set_int(-4)
        self.assertTrue(run_until(lambda: len(errors) == 1))
        store, error = errors[0]
        self.assertIs(store, count)
        self.assertTrue(error.matches(Isle.error_quark(), Isle.Error.REJECTED), error)
        self.assertIn('count', error.message)
        self.assertEqual(count.get_int(), 7)

        # A quantity that is not an integer: refused by the owner's key type.
        cart.set_key('tea', GLib.Variant('s', 'two'))
        self.assertTrue(run_until(lambda: len(errors) == 2))
        self.assertTrue(errors[1][1].matches(Isle.error_quark(), Isle.Error.WRONG_TYPE))
        self.assertIsNone(cart.get_key('tea'))

    def test_owner_killed_and_back(self):
        count = Isle.Atom.new_int('count', 1)
        mirror = self.mirror_of(count)
        states = []
        mirror.connect('notify::connected', lambda m, pspec: states.append(m.props.connected))

        # Made first: offline, its own value.
        run_until(lambda: False, timeout=0.1)
        self.assertFalse(mirror.props.connected)
        self.assertEqual(count.get_int(), 1)

        owner = self.start_owner()
        self.assertTrue(run_until(lambda: mirror.props.connected))
        self.assertEqual(count.get_int(), 7)

        owner.kill()
        self.assertTrue(run_until(lambda: not mirror.props.connected))
        self.assertEqual(count.get_int(), 7)

        self.start_owner('--count', '30')
        self.assertTrue(run_until(lambda: mirror.props.connected))
        self.assertEqual(count.get_int(), 30)
        self.assertEqual(states, [True, False, True])

    def test_python_export(self):
        """A Python owner, a Python mirror on another connection."""
        owner_bus = Gio.DBusConnection.new_for_address_sync(
            os.environ['DBUS_SESSION_BUS_ADDRESS'],
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        zoom = Isle.Atom.new_int('zoom', 100)
        export = Isle.BusExport.new(owner_bus, '/org/isletoolkit/Isle/Py')
        self.assertTrue(export.add_store(zoom, Isle.BusExportFlags.DEFAULT))
        mirrored = Isle.Atom.new_int('zoom', 0)
        mirror = Isle.BusMirror.new(self.bus, owner_bus.get_unique_name(),
                                    '/org/isletoolkit/Isle/Py')
        mirror.add_store(mirrored)
        self.assertTrue(run_until(lambda: mirror.props.connected))
        self.assertEqual(mirrored.get_int(), 100)
        mirrored.set_int(150)
        self.assertTrue(run_until(lambda: zoom.get_int() == 150))
        self.assertTrue(run_until(lambda: mirrored.get_int() == 150))
        self.assertEqual(export.get_serial(), 1)
        export.unexport()
        owner_bus.close_sync(None)
        self.assertTrue(run_until(lambda: not mirror.props.connected))


if __name__ == '__main__':
    unittest.main(verbosity=2)
