#!/usr/bin/python3
# Complete maps, deep maps and resources from Python (issue 21, items 3 and
# 4): the introspected API and the Pythonic layer of gi.overrides.Isle.
# Each test names the nanostores or Svelte test its expectation comes from.

import threading
import unittest

import gi

gi.require_version('Isle', '1')
from gi.repository import Gio, GLib, Isle  # noqa: E402


class TestMap(unittest.TestCase):

    def test_listen_changes_gets_the_key(self):
        # nanostores map/index.test.ts "initializes store when it has listeners"
        m = Isle.Map.new('py-changes', None)
        events = []
        with m.listen_changes(lambda value, old, key: events.append((key, value, old))):
            m['a'] = 1
            m['a'] = 1
            m.value = {'a': 2, 'b': 3}
            del m['b']
        m['a'] = 9
        self.assertEqual(events, [('a', {'a': 1}, {}),
                                  (None, {'a': 2, 'b': 3}, {'a': 1}),
                                  ('b', {'a': 2}, {'a': 2, 'b': 3})])

    def test_subscribe_changes_and_introspected_form(self):
        # nanostores map/index.test.ts "can subscribe to changes and call listener immediately"
        m = Isle.Map.new('py-sub-changes', GLib.Variant('a{sv}', {'a': GLib.Variant('i', 0)}))
        events = []
        m.subscribe_changes(lambda map_, value, old, key: events.append(
            (map_ is m, key, value.unpack(), old and old.unpack())))
        m['a'] = 1
        self.assertEqual(events, [(True, None, {'a': 0}, None), (True, 'a', {'a': 1}, {'a': 0})])

    def test_subscribe_keys(self):
        # nanostores listen-keys/index.test.ts "can subscribe to changes and call listener immediately"
        m = Isle.Map.new('py-sub-keys', None)
        m['a'] = 1
        m['b'] = 1
        events = []
        sub = m.subscribe_keys(['a'], lambda key, value, old: events.append((key, value, old)))
        m['b'] = 2
        m['a'] = 2
        sub.unsubscribe()
        m['a'] = 3
        self.assertEqual(events, [('a', 1, None), ('a', 2, 1)])

    def test_key_equal(self):
        # nanostores map/index.test.ts "uses custom eqKey to skip equal key writes"
        m = Isle.Map.new('py-eq', None)
        m['name'] = 'Ada'
        compared = []

        def same(key, old, value):
            compared.append((key, old))
            return old is not None and old.lower() == value.lower()

        m.set_key_equal_func(same)
        heard = []
        m.listen_changes(lambda value, old, key: heard.append(key))
        m['name'] = 'ADA'
        self.assertEqual(m['name'], 'Ada')
        m['name'] = 'Grace'
        m['nick'] = 'g'
        self.assertEqual(heard, ['name', 'nick'])
        self.assertEqual(compared, [('name', 'Ada'), ('name', 'Ada'), ('nick', None)])
        # A removal never asks it.
        m.set_key_equal_func(lambda key, old, value: True)
        del m['nick']
        self.assertNotIn('nick', m)
        m.set_key_equal_func(None)

    def test_filter(self):
        # nanostores lifecycle/index.test.ts "onSet" on a map
        m = Isle.Map.new('py-filter', None)
        m['locked'] = 1

        def guard(key, value, old):
            if key is None:
                return old if 'reject' in value else value
            if key == 'locked':
                return old
            if key == 'q' and value is not None:
                return max(0, min(9, value))
            return value

        m.set_filter(guard)
        m['q'] = 42
        self.assertEqual(m['q'], 9)
        m['locked'] = 5
        self.assertEqual(m['locked'], 1)
        m.value = {'reject': True}
        self.assertEqual(m.value, {'locked': 1, 'q': 9})
        m.value = {'z': 0}
        self.assertEqual(m.value, {'z': 0})
        m.set_filter(None)
        m['q'] = 42
        self.assertEqual(m['q'], 42)

    def test_filter_that_raises_rejects(self):
        m = Isle.Map.new('py-filter-raises', None)
        m['a'] = 1

        def broken(key, value, old):
            raise ValueError('a bug in the filter')

        m.set_filter(broken)
        m['a'] = 2
        self.assertEqual(m['a'], 1)

    def test_delete_key(self):
        # nanostores map/index.test.ts "deletes keys on undefined value"
        m = Isle.Map.new('py-delete', None)
        keys = []
        m.listen(lambda value, old: keys.append(sorted(value)))
        m['a'] = 1
        self.assertTrue(m.delete_key('a'))
        self.assertFalse(m.delete_key('a'))
        self.assertEqual(keys, [['a'], []])


class TestDeepMap(unittest.TestCase):

    def test_get_and_set_paths(self):
        # nanostores deep-map/path.test.ts "path evaluates correct value", "creating objects",
        # "creating arrays", "removes arrays"
        m = Isle.Map.new('py-deep', None)
        m.paths['profile.name'] = 'Ada'
        m.paths['items[0]'] = 'apple'
        m.paths['items[2]'] = 'cherry'
        m.paths['f[0][1]'] = {'g': 3}
        self.assertEqual(m.paths['profile.name'], 'Ada')
        self.assertEqual(m.paths['f[0][1].g'], 3)
        self.assertEqual(m.value['items'], ['apple', None, 'cherry'])
        self.assertIsNone(m.paths.get('items[1]'))
        self.assertNotIn('profile.age', m.paths)
        with self.assertRaises(KeyError):
            m.paths['abra.cadabra']
        # The gap reads as nothing; removing it moves the rest up.
        with self.assertRaises(KeyError):
            del m.paths['items[1]']
        m.set_path('items[1]', None)
        self.assertEqual(m.value['items'], ['apple', 'cherry'])
        del m.paths['items[0]']
        self.assertEqual(m.value['items'], ['cherry'])
        # The introspected form: variants in and out.
        self.assertEqual(Isle.Map.get_path(m, 'profile.name').unpack(), 'Ada')
        self.assertTrue(m.set_path('profile.age', GLib.Variant('u', 36)))
        self.assertEqual(Isle.Map.get_path(m, 'profile.age').get_type_string(), 'u')
        # A key keeps its type.
        m.paths['profile.age'] = 37
        self.assertEqual(Isle.Map.get_path(m, 'profile.age').get_type_string(), 'u')

    def test_bad_paths_raise(self):
        m = Isle.Map.new('py-deep-bad', None)
        with self.assertRaises(GLib.Error) as caught:
            m.paths['a..b'] = 1
        self.assertIn('is not a path', caught.exception.message)
        m.value = {'items': GLib.Variant('as', ['x'])}
        with self.assertRaises(TypeError):
            m.paths['items[0]'] = 3
        with self.assertRaises(GLib.Error):
            m.set_path('items[0]', GLib.Variant('i', 3))
        self.assertEqual(m.value, {'items': ['x']})
        with self.assertRaises(ValueError):
            m.listen_paths(['ok', 'a['], lambda path, value, old: None)

    def test_listen_paths(self):
        # nanostores listen-keys/index.test.ts "listens for deep keys on whole-store set"
        m = Isle.Map.new('py-deep-listen', None)
        m.value = {'profile': {'age': 1, 'name': 'a'}}
        events = []
        sub = m.listen_paths(['profile.name'], lambda path, value, old: events.append((value, old)))
        m.value = {'profile': {'age': 1, 'name': 'b'}}
        m.value = {'profile': {'age': 2, 'name': 'b'}}
        m.paths['profile.name'] = 'c'
        m.paths['profile.age'] = 3
        del m['profile']
        sub.unsubscribe()
        m.paths['profile.name'] = 'd'
        self.assertEqual(events, [('b', 'a'), ('c', 'b'), (None, 'c')])

    def test_notify_listeners_on_paths(self):
        # nanostores' notify(oldValue, changedKey) on a deep map: the paths
        # at, under and above the named key hear it, the others do not.
        m = Isle.Map.new('py-deep-notify', None)
        m.value = {'a': {'x': 1}, 'b': {'c': 2}}
        heard = []
        sub = m.listen_paths(['a.x', 'b.c'], lambda path, value, old: heard.append((path, value, old)))
        m.notify_listeners('a')
        self.assertEqual(heard, [('a.x', 1, 1)])
        del heard[:]
        m.notify_listeners()
        self.assertEqual(heard, [('a.x', 1, 1), ('b.c', 2, 2)])
        sub.unsubscribe()

    def test_subscribe_paths_and_changed_path(self):
        # nanostores deep-map/index.test.ts "notifies correct previous value from deep store"
        m = Isle.Map.new('py-deep-sub', None)
        changes = []
        m.listen_changes(lambda value, old, key: changes.append(key))
        now = []
        m.subscribe_paths(['b.nested.deep'], lambda path, value, old: now.append(value))
        m.paths['a'] = 1
        m.paths['b.nested.deep'] = 1
        m.paths['b.nested.deep'] = 2
        self.assertEqual(changes, ['a', 'b.nested.deep', 'b.nested.deep'])
        self.assertEqual(now, [None, 1, 2])


class TestResource(unittest.TestCase):

    def tearDown(self):
        Isle.wait_all_tasks()
        self.assertEqual(Isle.task_get_n_pending(), 0)

    def test_synchronous_value(self):
        # nanostores task/index.test.ts "returns synchronous task value"
        n = Isle.atom('py-n', 2)
        r = Isle.Resource.new('py-double', GLib.VariantType('i'), [n], lambda values, run: values[0] * 2)
        self.assertEqual(r.value, 0)
        self.assertTrue(r.loading)
        Isle.wait_all_tasks()
        self.assertEqual(r.value, 4)
        self.assertFalse(r.props.loading)
        self.assertIsNone(r.error)

    def test_skips_stale_update(self):
        # nanostores computed/index.test.ts "skips stale update"
        value = Isle.atom('py-value', 1)
        runs = []

        def later(values, run):
            runs.append(run)

        r = Isle.Resource.new('py-delayed', GLib.VariantType('i'), [value], later)
        heard = []
        r.listen(lambda v, old: heard.append(v))
        value.value = 20
        value.value = 10
        self.assertEqual(len(runs), 3)
        self.assertEqual([run.cancelled for run in runs], [True, True, False])
        runs[2].resolve(10)
        runs[1].resolve(20)
        runs[0].resolve(1)
        Isle.wait_all_tasks()
        self.assertEqual(heard, [10])
        self.assertEqual(r.value, 10)

    def test_error_then_recovery(self):
        # nanostores task/index.test.ts "ends task on error"
        n = Isle.atom('py-err', 1)

        def maybe(values, run):
            if values[0] < 0:
                raise ValueError('negative: %d' % values[0])
            return values[0]

        r = Isle.Resource.new('py-maybe', GLib.VariantType('i'), [n], maybe)
        notified = []
        r.connect('notify::error', lambda *args: notified.append(r.error))
        r.listen(lambda v, old: None)
        Isle.wait_all_tasks()
        n.value = -5
        Isle.wait_all_tasks()
        self.assertEqual(r.error.message, 'negative: -5')
        self.assertEqual(r.value, 1)
        n.value = 3
        Isle.wait_all_tasks()
        self.assertIsNone(r.error)
        self.assertEqual(r.value, 3)
        self.assertEqual(len(notified), 2)

    def test_resolve_from_a_thread(self):
        n = Isle.atom('py-thread', 6)
        seen = []

        def in_thread(values, run):
            threading.Thread(target=lambda: run.resolve(values[0] * 7)).start()

        r = Isle.Resource.new('py-threaded', GLib.VariantType('i'), [n], in_thread)
        r.listen(lambda v, old: seen.append((v, threading.current_thread() is threading.main_thread())))
        Isle.wait_all_tasks()
        self.assertEqual(seen, [(42, True)])

    def test_gio_call_with_the_runs_cancellable(self):
        # A GIO call in a run: completed later, with the run's cancellable.
        name = Isle.atom('py-path', '/nonexistent/isle-test-file')

        def load(values, run):
            f = Gio.File.new_for_path(values[0])

            def loaded(source, result):
                try:
                    ok, contents, etag = source.load_contents_finish(result)
                    run.resolve(contents.decode())
                except GLib.Error as e:
                    run.reject(e)

            f.load_contents_async(run.cancellable, loaded)

        r = Isle.Resource.new('py-file', GLib.VariantType('s'), [name], load)
        r.listen(lambda v, old: None)
        Isle.wait_all_tasks()
        self.assertTrue(r.error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND))

    def test_loading_binds(self):
        # A pane binds a spinner to loading: GObject.bind_property works.
        n = Isle.atom('py-bind', 1)
        runs = []
        r = Isle.Resource.new('py-bound', GLib.VariantType('i'), [n], lambda values, run: runs.append(run))
        target = Gio.SimpleAction.new_stateful('spin', None, GLib.Variant('b', False))
        binding = r.bind_property('loading', target, 'enabled', 0)
        r.listen(lambda v, old: None)
        self.assertTrue(target.get_enabled())
        runs[-1].resolve(5)
        Isle.wait_all_tasks()
        self.assertFalse(target.get_enabled())
        binding.unbind()


class TestAsyncDerived(unittest.TestCase):

    def tearDown(self):
        Isle.wait_all_tasks()
        self.assertEqual(Isle.task_get_n_pending(), 0)

    def test_runs_follow_dependencies_and_skip_stale(self):
        # Svelte's async $derived; nanostores computed/index.test.ts "skips stale update"
        graph = Isle.Graph()
        query = graph.state(1)
        runs = []

        @graph.async_derived(type=int)
        def results(run):
            runs.append((query.value, run))

        seen = []
        graph.effect(lambda: seen.append((results.value, results.loading)))
        graph.flush()
        self.assertEqual([q for q, run in runs], [1])
        self.assertEqual(seen, [(0, True)])
        query.value = 2
        graph.flush()
        self.assertEqual([q for q, run in runs], [1, 2])
        self.assertTrue(runs[0][1].cancelled)
        runs[1][1].resolve(20)
        runs[0][1].resolve(10)
        Isle.wait_all_tasks()
        graph.flush()
        self.assertEqual(results.value, 20)
        self.assertFalse(results.loading)
        self.assertEqual(seen[-1], (20, False))

    def test_sync_value_and_error(self):
        graph = Isle.Graph()
        n = graph.state(3)

        def square(run):
            if n.value < 0:
                raise ValueError('negative')
            return n.value * n.value

        d = graph.async_derived(square, type=int)
        graph.flush()
        Isle.wait_all_tasks()
        self.assertEqual(d.value, 9)
        n.value = -1
        graph.flush()
        Isle.wait_all_tasks()
        self.assertEqual(d.error.message, 'negative')
        self.assertEqual(d.value, 9)


if __name__ == '__main__':
    unittest.main(verbosity=2)
