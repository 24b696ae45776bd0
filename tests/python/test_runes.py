#!/usr/bin/python3
# tests/python/test_runes.py: what issue 21 added to the engine and the
# stores, from Python: writable deriveds, effect roots, Svelte's update
# helpers, nanostores' notify, readonlyType, keepMount and cleanStores.
# Each case names the peer test it ports; both the introspected API and
# the Pythonic layer (gi.overrides.Isle) are used.
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later

import gc
import unittest

import gi

gi.require_version('Isle', '1')
from gi.repository import GLib, GObject, Isle  # noqa: E402


class TestWritableDerived(unittest.TestCase):

    def setUp(self):
        self.graph = Isle.Graph.new()

    def tearDown(self):
        self.graph.dispose_nodes()
        gc.collect()

    def test_overrides_until_dependency_changes(self):
        # Svelte, runtime-runes/samples/writable-derived.
        g = self.graph
        count = g.state(0)
        double = g.derived(lambda: count.value * 2, type=int)
        seen = []
        g.effect(lambda: seen.append(double.value))
        g.flush()
        count.value = 10
        g.flush()
        double.value = 99
        self.assertEqual(double.value, 99)
        g.flush()
        count.value = 20
        g.flush()
        self.assertEqual(seen, [0, 20, 99, 40])

    def test_set_when_dirty(self):
        # Svelte, signals/test.ts, "deriveds set after they are DIRTY
        # doesn't get updated on get", through the introspected API.
        g = self.graph
        a = Isle.State.new_int(g, 0)
        b = Isle.Derived.new(g, GObject.TYPE_INT, lambda d: a.get_int())
        b.set_int(1)
        self.assertEqual(b.get_int(), 1)
        a.set_int(2)
        self.assertEqual(b.get_int(), 2)
        b.set_int(3)
        self.assertEqual(b.get_int(), 3)

    def test_set_when_dirty_unowned(self):
        # Svelte, signals/test.ts, "unowned deriveds set after they are
        # DIRTY doesn't get updated on get".
        g = self.graph
        a = g.state(0)
        b = g.derived(lambda: a.value)
        c = g.derived(lambda: b.value)
        b.value = 1
        self.assertEqual(c.value, 1)
        a.value = 2
        self.assertEqual(b.value, 2)
        self.assertEqual(c.value, 2)

    def test_equal_set_is_silent_and_wrong_type_raises(self):
        g = self.graph
        count = g.state(1)
        double = g.derived(lambda: count.value * 2, type=int)
        double.set_name('double')
        runs = []
        g.effect(lambda: runs.append(double.value))
        g.flush()
        double.value = 2
        g.flush()
        self.assertEqual(runs, [2])
        with self.assertRaisesRegex(TypeError, "derived 'double'"):
            double.value = 'two'
        with self.assertRaises(TypeError):
            double.set_string('two')
        self.assertEqual(double.value, 2)

    def test_python_object_derived(self):
        # Svelte, runtime-runes/samples/writable-derived-4: assigning an
        # equal value changes nothing (Python values compare with ==).
        g = self.graph
        count = g.derived(lambda: {'value': 1})
        runs = []
        g.effect(lambda: runs.append(count.value['value']))
        g.flush()
        count.value = {'value': 1}
        g.flush()
        self.assertEqual(runs, [1])
        count.value = {'value': 2}
        g.flush()
        self.assertEqual(runs, [1, 2])


class TestEffectRoot(unittest.TestCase):

    def setUp(self):
        self.graph = Isle.Graph.new()

    def tearDown(self):
        self.graph.dispose_nodes()
        gc.collect()

    def test_root_inside_derived_stays_alive(self):
        # Svelte, signals/test.ts, "$effect.root inside deriveds stay alive
        # independently".
        g = self.graph
        log = []
        c = g.state(0)
        roots = []
        inner_states = []

        def body():
            x = g.state(0)
            inner_states.append(x)

            def inner():
                log.append('inner %d' % x.value)
                return lambda: log.append('inner destroyed')
            g.effect(inner)

        def compute():
            roots.append(g.effect_root(body))
            return c.value

        d = g.derived(compute, type=int)
        log.append(d.value)
        g.flush()
        self.assertEqual(log, [0, 'inner 0'])
        del log[:]

        inner_states[0].value = 1
        g.flush()
        self.assertEqual(log, ['inner destroyed', 'inner 1'])
        del log[:]

        c.value = 1
        log.append(d.value)
        g.flush()
        self.assertEqual(log, [1, 'inner 0'])
        del log[:]

        for root in roots:
            root.dispose()
        g.flush()
        self.assertEqual(log, ['inner destroyed', 'inner destroyed'])

    def test_root_body_is_untracked_and_cleanup_runs(self):
        # Svelte, runtime-runes/samples/effect-root-2, with the
        # introspected constructor.
        g = self.graph
        x = g.state(0)
        log = []

        def body(root):
            log.append(x.value)
            root.add_cleanup(lambda: log.append('cleanup'))

        root = Isle.Effect.new_root(g, body)
        self.assertEqual(log, [0])
        x.value = 1
        g.flush()
        self.assertEqual(log, [0])
        root.dispose()
        self.assertEqual(log, [0, 'cleanup'])
        x.value = 2
        g.flush()
        self.assertEqual(log, [0, 'cleanup'])

    def test_nested_root_and_returned_cleanup(self):
        # Svelte, runtime-runes/samples/effect-root.
        g = self.graph
        x = g.state(0)
        log = []

        @g.effect_root
        def cleanup():
            g.effect(lambda: log.append(x.value))
            nested = g.effect_root(lambda: (lambda: log.append('cleanup 2')))

            def teardown():
                log.append('cleanup 1')
                nested.dispose()
            return teardown

        g.flush()
        x.value = 1
        g.flush()
        self.assertEqual(log, [0, 1])
        cleanup.dispose()
        self.assertEqual(log, [0, 1, 'cleanup 1', 'cleanup 2'])
        x.value = 2
        g.flush()
        self.assertEqual(log, [0, 1, 'cleanup 1', 'cleanup 2'])


class TestStateUpdate(unittest.TestCase):

    def test_update_and_update_pre(self):
        # Svelte, signals/test.ts, "bigint states update correctly".
        g = Isle.Graph.new()
        count = g.state(0)
        self.assertEqual(count.update(), 0)
        self.assertEqual(count.value, 1)
        self.assertEqual(count.update(-1), 1)
        self.assertEqual(count.value, 0)
        self.assertEqual(count.update_pre(), 1)
        self.assertEqual(count.update_pre(-1), 0)
        big = g.state(2**40)
        self.assertEqual(big.update(1), 2**40)
        self.assertEqual(Isle.State.update_pre_int64(big, 1), 2**40 + 2)
        ratio = g.state(0.5)
        self.assertEqual(ratio.update_pre(0.25), 0.75)
        with self.assertRaisesRegex(TypeError, 'update'):
            g.state('text').update()
        g.dispose_nodes()


class TestStoreHelpers(unittest.TestCase):

    def tearDown(self):
        Isle.clean_stores()
        gc.collect()

    def test_notify_listeners(self):
        # nanostores, atom/index.test.ts, "notify defers drain while
        # batchSeen is active".
        a = Isle.Atom.new_int('a', 0)
        calls = []
        a.listen(lambda value, old: calls.append((value, old)))
        with Isle.batch():
            a.value = 1
            a.notify_listeners()
            self.assertEqual(calls, [])
        self.assertEqual(calls, [(1, 0)])
        a.notify_listeners()
        self.assertEqual(calls, [(1, 0), (1, 1)])
        # GObject's own notify is still there.
        seen = []
        a.connect('notify::value', lambda *args: seen.append(1))
        a.notify('value')
        self.assertEqual(seen, [1])

    def test_map_notify_key(self):
        m = Isle.Map.new('profile', None)
        m['name'] = 'Ada'
        m['age'] = 36
        heard = []
        m.listen_keys(['name'], lambda *args: heard.append(args[1]))
        m.listen_keys(['age'], lambda *args: heard.append(args[1]))
        m.notify_listeners('name')
        self.assertEqual(heard, ['name'])

    def test_readonly(self):
        # nanostores, atom/index.test.ts, "has readonly helper".
        store = Isle.Atom.new_string('store-writable', '1')
        view = store.readonly('store')
        self.assertEqual(view.value, '1')
        values = []
        view.subscribe(lambda value, old: values.append(value))
        store.value = '2'
        self.assertEqual(values, ['1', '2'])
        self.assertFalse(isinstance(view, Isle.Atom))
        with self.assertRaises(AttributeError):
            view.value = '3'
        self.assertEqual(view.value, '2')

    def test_keep_mount(self):
        # nanostores, keep-mount/index.test.ts, "adds empty listener".
        events = []
        store = Isle.Atom.new_int('kept', 0)
        store.connect('start', lambda s: events.append('init'))
        handle = store.keep_mount()
        self.assertEqual(events, ['init'])
        self.assertTrue(store.get_started())
        handle.unsubscribe()

    def test_clean_stores(self):
        # nanostores, clean-stores/index.test.ts, "cleans stores".
        events = []
        loaded = Isle.atom('clean-loaded', 0)
        loaded.connect('start', lambda s: events.append('loaded'))
        loaded.connect('stop', lambda s: events.append('unloaded'))
        loaded.listen(lambda value, old: None)
        Isle.clean_stores()
        self.assertEqual(events, ['loaded', 'unloaded'])
        with self.assertRaises(KeyError):
            Isle.lookup('clean-loaded')
        self.assertEqual(loaded.get_n_listeners(), 0)
        loaded.listen(lambda value, old: None)
        self.assertEqual(events, ['loaded', 'unloaded', 'loaded'])
        Isle.clean_stores(loaded, None)
        self.assertEqual(events, ['loaded', 'unloaded', 'loaded', 'unloaded'])


if __name__ == '__main__':
    unittest.main()
