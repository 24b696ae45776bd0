#!/usr/bin/env python3
# tests/python/test_persist.py: a store kept in a file, from Python
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Isle.Persist through GObject introspection: saving and loading a map,
# a Python filter (scope notified), the asynchronous load with its
# callback, the saved signal, the pending and error properties, a bad
# file moved aside (GLib.Error with Isle.FileError), a merge with
# another writer, and Isle.Map.replace.

import os
import shutil
import tempfile
import time
import unittest

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('Isle', '1')
from gi.repository import Gio, GLib, Isle  # noqa: E402


def parsed(text):
    return GLib.Variant.parse(None, text, None, None)


def run_until(predicate, timeout=5.0):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        context.iteration(False)
        time.sleep(0.005)
    return predicate()


class TestPersist(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='isle-persist-py-')
        self.addCleanup(shutil.rmtree, self.dir)
        self.path = os.path.join(self.dir, 'store.gvariant')
        self.file = Gio.File.new_for_path(self.path)

    def saved(self):
        with open(self.path, encoding='utf-8') as f:
            return GLib.Variant.parse(None, f.read(), None, None).unpack()

    def test_save_and_load(self):
        prefs = Isle.Map.new('prefs', None)
        persist = Isle.Persist.new(prefs, self.file)
        self.assertIs(persist.get_store(), prefs)
        self.assertEqual(persist.props.delay, 250)
        self.assertEqual(persist.props.max_wait, 1000)
        self.assertEqual(persist.props.max_size, Isle.PERSIST_DEFAULT_MAX_SIZE)

        saves = []
        persist.connect('saved', lambda p: saves.append(p.get_etag()))
        prefs.set_key('theme', GLib.Variant('s', 'dark'))
        self.assertTrue(persist.props.pending)
        self.assertTrue(persist.flush())
        self.assertFalse(persist.props.pending)
        self.assertEqual(len(saves), 1)
        self.assertIsNotNone(saves[0])
        self.assertEqual(self.saved(), {'theme': 'dark'})

        again = Isle.Map.new('again', None)
        reader = Isle.Persist.new(again, self.file)
        self.assertTrue(reader.load(None))
        self.assertEqual(again.get_value().unpack(), {'theme': 'dark'})
        self.assertEqual(reader.get_etag(), persist.get_etag())

    def test_debounced_save(self):
        count = Isle.Atom.new_int('count', 0)
        persist = Isle.Persist.new(count, self.file)
        persist.props.delay = 20
        count.set_int(5)
        self.assertTrue(run_until(lambda: not persist.props.pending))
        self.assertEqual(self.saved(), 5)

    def test_filter(self):
        calls = []

        def only_positive(persist, value, loading):
            calls.append(loading)
            if value.get_int32() < 0:
                return None if loading else GLib.Variant('i', 0)
            return value

        count = Isle.Atom.new_int('count', -3)
        persist = Isle.Persist.new(count, self.file)
        persist.set_filter_func(only_positive)
        self.assertTrue(persist.save())
        self.assertEqual(self.saved(), 0)

        with open(self.path, 'w', encoding='utf-8') as f:
            f.write('-7\n')
        with self.assertRaises(GLib.Error) as caught:
            persist.load(None)
        self.assertTrue(caught.exception.matches(Isle.file_error_quark(),
                                                 Isle.FileError.CORRUPT))
        self.assertIn('.corrupt-', caught.exception.message)
        self.assertEqual(count.get_int(), -3)
        self.assertEqual(calls, [False, True])
        aside = [n for n in os.listdir(self.dir) if n.startswith('store.gvariant.corrupt-')]
        self.assertEqual(len(aside), 1)

    def test_load_async(self):
        with open(self.path, 'w', encoding='utf-8') as f:
            f.write("{'tea': <2>}\n")
        cart = Isle.Map.new('cart-py', None)
        persist = Isle.Persist.new(cart, self.file)
        results = []

        def done(source, result):
            results.append(source.load_finish(result))

        persist.load_async(None, done)
        self.assertEqual(cart.get_value().unpack(), {})
        self.assertTrue(run_until(lambda: results))
        self.assertEqual(results, [True])
        self.assertEqual(cart.get_value().unpack(), {'tea': 2})

    def test_fifo_is_refused_without_hanging(self):
        os.mkfifo(self.path)
        count = Isle.Atom.new_int('count', 1)
        persist = Isle.Persist.new(count, self.file)
        start = time.monotonic()
        with self.assertRaises(GLib.Error) as caught:
            persist.load(None)
        self.assertLess(time.monotonic() - start, 1.0)
        self.assertTrue(caught.exception.matches(Isle.file_error_quark(),
                                                 Isle.FileError.UNREADABLE))
        self.assertFalse(os.path.exists(self.path))

    def test_failed_save_sets_error(self):
        blocker = os.path.join(self.dir, 'not-a-folder')
        with open(blocker, 'w') as f:
            f.write('x')
        count = Isle.Atom.new_int('count', 1)
        persist = Isle.Persist.new(count, Gio.File.new_for_path(os.path.join(blocker, 'f')))
        notified = []
        persist.connect('notify::error', lambda p, pspec: notified.append(p.props.error))
        with self.assertRaises(GLib.Error):
            persist.save()
        self.assertEqual(len(notified), 1)
        self.assertIsNotNone(persist.get_error())
        self.assertIsNotNone(persist.props.error)

    def test_merge_with_another_writer(self):
        ours = Isle.Map.new('ours', parsed("{'a': <1>}"))
        theirs = Isle.Map.new('theirs', None)
        mine = Isle.Persist.new(ours, self.file)
        other = Isle.Persist.new(theirs, self.file)
        merges = []
        mine.connect('merged', lambda p, their_value: merges.append(their_value.unpack()))
        self.assertTrue(mine.save())
        self.assertTrue(other.load(None))
        time.sleep(0.01)
        theirs.set_key('b', GLib.Variant('i', 2))
        self.assertTrue(other.save())
        ours.set_key('a', GLib.Variant('i', 3))
        self.assertTrue(mine.save())
        self.assertEqual(self.saved(), {'a': 3, 'b': 2})
        self.assertEqual(ours.get_value().unpack(), {'a': 3, 'b': 2})
        self.assertEqual(merges, [{'a': 1, 'b': 2}])

    def test_map_replace(self):
        heard = []
        m = Isle.Map.new('replace-py', parsed("{'a': <1>, 'b': <2>}"))
        m.listen_keys(['a', 'b', 'c'], lambda m, key, value, old: heard.append(key))
        m.replace(parsed("{'a': <1>, 'c': <3>}"))
        self.assertEqual(sorted(heard), ['b', 'c'])
        self.assertEqual(m.get_value().unpack(), {'a': 1, 'c': 3})


if __name__ == '__main__':
    unittest.main(verbosity=2)
