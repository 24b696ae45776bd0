#!/usr/bin/env python3
# tests/python/test_stores.py: the shared stores as a Python user drives them
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Everything here goes through GObject introspection (the uninstalled
# Isle-1.typelib) with Python callbacks: atoms with GLib.Variant values and
# their typed accessors, listeners (store, value, old_value), the value
# property with notify and GObject.Object.bind_property, Isle.Store.batch,
# the lifecycle signals, filters and before-notify, maps, computed stores
# with a Python function, threads, and the registry shared with C code (a
# small C module, isle-registry-peer.c, loaded with ctypes from the path in
# ISLE_TEST_PEER).
#
# Messages from Isle (log domain "Isle") are caught by a log handler
# installed around every test, and so are the Python exceptions raised in
# callbacks (PyGObject reports them through sys.excepthook): a test says
# which warnings, criticals or exceptions it expects, and any other one
# fails the test, as G_DEBUG=fatal-warnings would in C.

import contextlib
import ctypes
import gc
import math
import os
import subprocess
import sys
import textwrap
import threading
import time
import unittest
import weakref

import gi

gi.require_version('GLib', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('GObject', '2.0')
gi.require_version('Isle', '1')

from gi.repository import Gio, GLib, GObject, Isle  # noqa: E402

DEBUG = GLib.LogLevelFlags.LEVEL_DEBUG
WARNING = GLib.LogLevelFlags.LEVEL_WARNING
CRITICAL = GLib.LogLevelFlags.LEVEL_CRITICAL
FAILING_LEVELS = GLib.LogLevelFlags.LEVEL_ERROR | CRITICAL | WARNING
CAUGHT_LEVELS = (FAILING_LEVELS | GLib.LogLevelFlags.LEVEL_MESSAGE |
                 GLib.LogLevelFlags.LEVEL_INFO | DEBUG |
                 GLib.LogLevelFlags.FLAG_FATAL | GLib.LogLevelFlags.FLAG_RECURSION)

# Bounds for driving a main context by hand, so no test can hang.
MAX_ITERATIONS = 1000
MAX_WAIT_S = 5.0

INT = GLib.VariantType.new('i')


def level_name(level):
    for flag, name in ((GLib.LogLevelFlags.LEVEL_ERROR, 'ERROR'),
                       (CRITICAL, 'CRITICAL'),
                       (WARNING, 'WARNING'),
                       (GLib.LogLevelFlags.LEVEL_MESSAGE, 'MESSAGE'),
                       (GLib.LogLevelFlags.LEVEL_INFO, 'INFO'),
                       (DEBUG, 'DEBUG')):
        if level & flag:
            return name
    return str(int(level))


def isle_error_domain():
    return GLib.quark_to_string(Isle.error_quark())


def unpack(variant):
    return variant.unpack() if variant is not None else None


class Counter(GObject.Object):
    """A plain Python GObject with an int property, to bind atoms to."""

    count = GObject.Property(type=int, default=0)


class StoreTestCase(unittest.TestCase):
    """Gives each test a strict watch on Isle's messages and on the Python
    exceptions raised inside callbacks."""

    def setUp(self):
        self.messages = []
        self.exceptions = []
        self.context = GLib.MainContext.default()
        self.handler_id = GLib.log_set_handler('Isle', CAUGHT_LEVELS, self._log_cb)
        self.saved_excepthook = sys.excepthook
        sys.excepthook = self._excepthook

    def tearDown(self):
        gc.collect()
        self.drain()
        sys.excepthook = self.saved_excepthook
        GLib.log_remove_handler('Isle', self.handler_id)
        unexpected = ['%s: %s' % (level_name(level), message)
                      for level, message in self.messages
                      if level & FAILING_LEVELS]
        self.assertEqual(unexpected, [], 'unexpected messages from Isle')
        self.assertEqual([repr(e) for e in self.exceptions], [],
                         'unexpected Python exceptions in callbacks')

    def _log_cb(self, domain, level, message, *user_data):
        # Shown as well, so that a failing run's log tells the story.
        if level & FAILING_LEVELS:
            sys.stderr.write('(caught) %s-%s: %s\n' % (domain, level_name(level), message))
        self.messages.append((level, message))

    def _excepthook(self, exc_type, exc_value, exc_tb):
        # PyGObject prints an exception raised in a callback with
        # PyErr_Print (), which ends here; the C caller goes on.
        sys.stderr.write('(caught) exception in a callback: %r\n' % (exc_value,))
        self.exceptions.append(exc_value)

    @contextlib.contextmanager
    def expect_message(self, level, pattern, count=1):
        """The block must log exactly @count messages of @level matching the
        GLib-style @pattern; they are consumed, any others stay and fail the
        test at tearDown (debug and info ones are only kept)."""
        start = len(self.messages)
        yield
        new = self.messages[start:]
        matching = [m for m in new
                    if m[0] & level and GLib.pattern_match_simple(pattern, m[1])]
        self.assertEqual(len(matching), count,
                         'expected %d %s message(s) matching %r, got: %r'
                         % (count, level_name(level), pattern, new))
        for m in matching:
            self.messages.remove(m)

    @contextlib.contextmanager
    def expect_exception(self, exc_type, count=1):
        """The block must make callbacks raise exactly @count exceptions of
        @exc_type (reported by PyGObject, not propagated)."""
        start = len(self.exceptions)
        yield
        new = self.exceptions[start:]
        matching = [e for e in new if isinstance(e, exc_type)]
        self.assertEqual(len(matching), count,
                         'expected %d %s raised in callbacks, got: %r'
                         % (count, exc_type.__name__, new))
        for e in matching:
            self.exceptions.remove(e)

    def drain(self):
        """Dispatch what is ready on the default main context, without
        blocking."""
        for _ in range(MAX_ITERATIONS):
            if not self.context.iteration(False):
                break

    def iterate_until(self, condition, timeout_s=MAX_WAIT_S):
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                return False
            if not self.context.iteration(False):
                time.sleep(0.001)
        return True

    def iterate_for(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.context.iteration(False):
                time.sleep(0.001)

    def recorder(self, store, subscribe=False):
        """A listener recording (value, old_value) pairs, unpacked."""
        calls = []

        def listener(s, value, old_value):
            self.assertIs(s, store)
            calls.append((unpack(value), unpack(old_value)))

        if subscribe:
            handle = store.subscribe(listener)
        else:
            handle = store.listen(listener)
        return calls, handle

    def assert_isle_error(self, error, code):
        self.assertEqual(error.domain, isle_error_domain())
        self.assertEqual(error.code, int(code), error.message)


class TestAtom(StoreTestCase):
    """Creating, reading and setting atoms of every kind."""

    def test_typed_constructors_and_accessors(self):
        b = Isle.Atom.new_boolean('flag', True)
        self.assertTrue(b.get_boolean())
        b.set_boolean(False)
        self.assertFalse(b.get_boolean())

        i = Isle.Atom.new_int('count', -5)
        self.assertEqual(i.get_int(), -5)
        i.set_int(2 ** 31 - 1)
        self.assertEqual(i.get_int(), 2 ** 31 - 1)

        x = Isle.Atom.new_int64('big', 2 ** 40)
        self.assertEqual(x.get_int64(), 2 ** 40)
        x.set_int64(-(2 ** 62))
        self.assertEqual(x.get_int64(), -(2 ** 62))

        d = Isle.Atom.new_double('ratio', 0.5)
        self.assertEqual(d.get_double(), 0.5)
        d.set_double(-1e300)
        self.assertEqual(d.get_double(), -1e300)

        s = Isle.Atom.new_string('label', 'héllo')
        self.assertEqual(s.dup_string(), 'héllo')
        s.set_string('wörld ✓')
        self.assertEqual(s.dup_string(), 'wörld ✓')
        self.assertEqual(Isle.Atom.new_string('empty', None).dup_string(), '')

        for atom, type_string in ((b, 'b'), (i, 'i'), (x, 'x'), (d, 'd'), (s, 's')):
            self.assertIsInstance(atom, Isle.Atom)
            self.assertIsInstance(atom, Isle.Store)
            self.assertEqual(atom.get_value_type().dup_string(), type_string)
            self.assertEqual(atom.props.value_type.dup_string(), type_string)
            self.assertEqual(atom.get_value().get_type_string(), type_string)

        self.assertEqual(i.get_name(), 'count')
        self.assertEqual(i.props.name, 'count')
        self.assertIsNone(Isle.Atom.new_int(None, 0).get_name())

    def test_variant_values(self):
        pair = Isle.Atom.new('pair', GLib.VariantType.new('(is)'),
                             GLib.Variant('(is)', (1, 'one')))
        value = pair.get_value()
        self.assertIsInstance(value, GLib.Variant)
        self.assertEqual(value.unpack(), (1, 'one'))

        pair.set(GLib.Variant('(is)', (2, 'two')))
        self.assertEqual(pair.get_value().unpack(), (2, 'two'))
        self.assertTrue(pair.try_set(GLib.Variant('(is)', (3, 'three'))))
        self.assertEqual(pair.get_value().unpack(), (3, 'three'))

        # No initial value: the type's default (zeros, empty strings).
        zero = Isle.Atom.new('zero', GLib.VariantType.new('(isas)'), None)
        self.assertEqual(zero.get_value().unpack(), (0, '', []))
        names = Isle.Atom.new('names', GLib.VariantType.new('as'), GLib.Variant('as', ['a']))
        self.assertEqual(names.get_value().unpack(), ['a'])
        names.set(GLib.Variant('as', ['a', 'b']))
        self.assertEqual(names.get_value().unpack(), ['a', 'b'])

    def test_version(self):
        a = Isle.Atom.new_int('versioned', 0)
        v0 = a.get_version()
        a.set_int(1)
        self.assertEqual(a.get_version(), v0 + 1)
        a.set_int(1)  # equal: no change, no new version
        self.assertEqual(a.get_version(), v0 + 1)
        a.set_int(2)
        self.assertEqual(a.get_version(), v0 + 2)

    def test_set_without_any_listener_in_a_fresh_process(self):
        # The simplest use there is, in a process (a thread) where no store
        # has ever notified anybody: must not crash.
        script = textwrap.dedent('''
            import gi
            gi.require_version('Isle', '1')
            from gi.repository import Isle
            a = Isle.Atom.new_int('lonely', 0)
            a.set_int(1)
            print(a.get_int())
        ''')
        result = subprocess.run([sys.executable, '-c', script], capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0,
                         'set on an atom nobody ever listened to: exit status %d\n%s'
                         % (result.returncode, result.stderr))
        self.assertEqual(result.stdout.strip(), '1')

    def test_equal_set_is_silent(self):
        s = Isle.Atom.new_string('word', 'a')
        i = Isle.Atom.new_int('number', 1)
        v = Isle.Atom.new('tuple', GLib.VariantType.new('(is)'), GLib.Variant('(is)', (1, 'x')))
        calls = []
        for store in (s, i, v):
            store.listen(lambda st, value, old: calls.append(unpack(value)))
        s.set_string('a')
        i.set_int(1)
        i.set(GLib.Variant('i', 1))
        v.set(GLib.Variant('(is)', (1, 'x')))  # GVariants by value
        self.assertEqual(calls, [])
        s.set_string('b')
        v.set(GLib.Variant('(is)', (1, 'y')))
        self.assertEqual(calls, ['b', (1, 'y')])

    def test_doubles_compare_like_object_is(self):
        n = Isle.Atom.new_double('nan', float('nan'))
        z = Isle.Atom.new_double('zero', 0.0)
        calls, _ = self.recorder(n)
        zcalls, _ = self.recorder(z)

        n.set_double(float('nan'))
        n.set(GLib.Variant('d', float('nan')))
        self.assertEqual(calls, [], 'NaN set on NaN must notify nobody')
        z.set_double(0.0)
        self.assertEqual(zcalls, [])

        z.set_double(-0.0)
        self.assertEqual(len(zcalls), 1, '-0 set on 0 is a change')
        self.assertEqual(math.copysign(1, zcalls[0][0]), -1)
        self.assertEqual(math.copysign(1, zcalls[0][1]), 1)
        self.assertEqual(math.copysign(1, z.get_double()), -1)
        z.set_double(-0.0)
        self.assertEqual(len(zcalls), 1)

        n.set_double(1.0)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0][0], 1.0)
        self.assertTrue(math.isnan(calls[0][1]))

    def test_equal_func_keeps_the_old_value(self):
        word = Isle.Atom.new_string('word', 'hello')
        compared = []

        def same_ignoring_case(a, b):
            compared.append((a.unpack(), b.unpack()))
            return a.unpack().lower() == b.unpack().lower()

        word.set_equal_func(same_ignoring_case)
        calls, _ = self.recorder(word)

        word.set_string('HELLO')
        self.assertEqual(compared, [('hello', 'HELLO')])
        self.assertEqual(word.dup_string(), 'hello', 'a set judged equal keeps the old value')
        self.assertEqual(calls, [])

        word.set_string('bye')
        self.assertEqual(word.dup_string(), 'bye')
        self.assertEqual(calls, [('bye', 'hello')])

        word.set_equal_func(None)  # back to comparing by value
        word.set_string('BYE')
        self.assertEqual(calls[-1], ('BYE', 'bye'))

    def test_wrong_type(self):
        count = Isle.Atom.new_int('count', 5)
        calls, _ = self.recorder(count)

        # The overrides raise TypeError naming the atom before C sees it.
        with self.assertRaisesRegex(TypeError, "atom 'count'.*'i'"):
            count.set(GLib.Variant('s', 'five'))
        self.assertEqual(count.get_int(), 5)

        with self.assertRaises(GLib.Error) as caught:
            count.try_set(GLib.Variant('s', 'five'))
        self.assert_isle_error(caught.exception, Isle.Error.WRONG_TYPE)
        self.assertIn('count', caught.exception.message)
        self.assertEqual(count.get_int(), 5)

        with self.assertRaisesRegex(TypeError, "atom 'count'.*'i'"):
            count.set_string('five')
        with self.expect_message(CRITICAL, '*atom “count”*holds values of type “i”, not “s”*'):
            count.props.value = GLib.Variant('s', 'five')
        with self.expect_message(CRITICAL, '*atom “count”*holds values of type “i”, not “s”*'):
            self.assertIsNone(count.dup_string())
        self.assertEqual(count.get_int(), 5)
        self.assertEqual(calls, [])

        # None where a value is needed: refused by the binding, nothing changes.
        with self.assertRaises(TypeError):
            count.set(None)
        with self.assertRaises(TypeError):
            count.try_set(None)
        self.assertEqual(count.get_int(), 5)


class TestListeners(StoreTestCase):
    """subscribe, listen, handles, and the notification rules."""

    def test_subscribe_and_listen(self):
        a = Isle.Atom.new_int('a', 1)
        self.assertEqual(a.get_n_listeners(), 0)

        sub_calls, sub = self.recorder(a, subscribe=True)
        self.assertEqual(sub_calls, [(1, None)], 'subscribe calls at once, without old value')
        listen_calls, lis = self.recorder(a)
        self.assertEqual(listen_calls, [], 'listen waits for a change')
        self.assertNotEqual(sub, lis)
        self.assertEqual(a.get_n_listeners(), 2)
        self.assertEqual(a.props.n_listeners, 2)

        a.set_int(2)
        a.set_int(3)
        self.assertEqual(sub_calls, [(1, None), (2, 1), (3, 2)])
        self.assertEqual(listen_calls, [(2, 1), (3, 2)])

        a.unsubscribe(sub)
        self.assertEqual(a.get_n_listeners(), 1)
        a.set_int(4)
        self.assertEqual(sub_calls, [(1, None), (2, 1), (3, 2)])
        self.assertEqual(listen_calls, [(2, 1), (3, 2), (4, 3)])
        a.unsubscribe(lis)
        self.assertEqual(a.get_n_listeners(), 0)
        a.set_int(5)
        self.assertEqual(len(listen_calls), 3)

    def test_listener_is_released_when_unsubscribed(self):
        a = Isle.Atom.new_int('a', 0)

        class Owner:
            pass

        owner = Owner()
        handle = a.listen(lambda s, v, o, owner=owner: None)
        ref = weakref.ref(owner)
        del owner
        gc.collect()
        self.assertIsNotNone(ref(), 'the listener keeps its closure alive')
        a.unsubscribe(handle)
        gc.collect()
        self.assertIsNone(ref(), 'an unsubscribed listener is released')

    def test_order_is_subscription_order(self):
        a = Isle.Atom.new_int('a', 0)
        order = []
        handles = {}
        for name in ('first', 'second', 'third'):
            handles[name] = a.listen(lambda s, v, o, name=name: order.append(name))
        a.set_int(1)
        self.assertEqual(order, ['first', 'second', 'third'])

        a.unsubscribe(handles['first'])
        a.listen(lambda s, v, o: order.append('first again'))
        del order[:]
        a.set_int(2)
        self.assertEqual(order, ['second', 'third', 'first again'])

    def test_listener_that_sets_its_own_atom_is_stopped(self):
        a = Isle.Atom.new_int('looping', 0)
        calls = []

        def again(store, value, old):
            calls.append(value)
            store.set_int(value + 1)

        handle = a.listen_int(again)
        with self.expect_message(CRITICAL, '*atom “looping”*changed more than 100 times*'):
            a.set_int(1)
        self.assertEqual(len(calls), 101)
        a.unsubscribe(handle)
        heard, _ = self.recorder(a)
        a.set_int(5)
        self.assertEqual(heard, [(5, 102)], 'the atom works as before')

    def test_listener_added_during_notification_does_not_hear_it(self):
        a = Isle.Atom.new_int('a', 0)
        late = []

        def adder(s, value, old):
            if value.unpack() == 1:
                a.listen(lambda s2, v2, o2: late.append(v2.unpack()))

        a.listen(adder)
        a.set_int(1)
        self.assertEqual(late, [])
        a.set_int(2)
        self.assertEqual(late, [2])

    def test_listener_removed_during_notification_is_not_called(self):
        a = Isle.Atom.new_int('a', 0)
        victim_calls = []
        handles = []

        def remover(s, value, old):
            if value.unpack() == 1:
                a.unsubscribe(handles[1])

        handles.append(a.listen(remover))
        handles.append(a.listen(lambda s, v, o: victim_calls.append(v.unpack())))
        a.set_int(1)
        self.assertEqual(victim_calls, [], 'already due, but removed before its turn')
        a.set_int(2)
        self.assertEqual(victim_calls, [])
        self.assertEqual(a.get_n_listeners(), 1)

    def test_set_inside_a_listener_is_queued(self):
        a = Isle.Atom.new_int('a', 0)
        seen = []

        def bumper(s, value, old):
            seen.append(('bumper', value.unpack(), old.unpack()))
            if value.unpack() == 1:
                a.set_int(2)
                # The store has the new value at once; listeners hear of
                # it after the current round.
                self.assertEqual(a.get_int(), 2)

        a.listen(bumper)
        a.listen(lambda s, v, o: seen.append(('other', v.unpack(), o.unpack())))
        a.set_int(1)
        self.assertEqual(seen, [('bumper', 1, 0), ('other', 1, 0),
                                ('bumper', 2, 1), ('other', 2, 1)],
                         'every listener sees every value, in order')

    def test_same_callback_twice_is_called_twice(self):
        a = Isle.Atom.new_int('a', 0)
        calls = []

        def listener(s, value, old):
            calls.append(value.unpack())

        h1 = a.listen(listener)
        h2 = a.listen(listener)
        self.assertNotEqual(h1, h2)
        a.set_int(1)
        self.assertEqual(calls, [1, 1])
        a.unsubscribe(h1)
        a.set_int(2)
        self.assertEqual(calls, [1, 1, 2])
        a.unsubscribe(h2)

    def test_listener_unsubscribes_itself(self):
        a = Isle.Atom.new_int('a', 0)
        calls = []
        handle = []

        def once(s, value, old):
            calls.append(value.unpack())
            a.unsubscribe(handle[0])

        handle.append(a.listen(once))
        others, _ = self.recorder(a)
        a.set_int(1)
        a.set_int(2)
        self.assertEqual(calls, [1])
        self.assertEqual(others, [(1, 0), (2, 1)])
        self.assertEqual(a.get_int(), 2)

    def test_unsubscribe_twice(self):
        a = Isle.Atom.new_int('cart', 0)
        handle = a.listen(lambda s, v, o: None)
        a.unsubscribe(handle)
        with self.expect_message(CRITICAL, '*atom “cart”*no listener with handle*'):
            a.unsubscribe(handle)
        with self.expect_message(CRITICAL, '*no listener with handle*'):
            a.unsubscribe(123456)
        a.set_int(1)
        self.assertEqual(a.get_int(), 1)

    def test_python_listener_that_raises(self):
        a = Isle.Atom.new_int('a', 0)
        before, after = [], []
        a.listen(lambda s, v, o: before.append(v.unpack()))

        def bad(s, value, old):
            raise ZeroDivisionError('listener failed at %d' % value.unpack())

        a.listen(bad)
        a.listen(lambda s, v, o: after.append(v.unpack()))

        with self.expect_exception(ZeroDivisionError):
            a.set_int(1)
        self.assertEqual(before, [1])
        self.assertEqual(after, [1], 'the listeners after a failing one still run')
        self.assertEqual(a.get_int(), 1)

        with self.expect_exception(ZeroDivisionError, count=2):
            a.set_int(2)
            a.set_int(3)
        self.assertEqual(after, [1, 2, 3])

    def test_listener_drops_the_last_python_reference(self):
        # The only reference to the atom goes away inside its own listener.
        holder = {'atom': Isle.Atom.new_int('held', 0)}
        finalized = []
        holder['atom'].weak_ref(lambda: finalized.append(True))
        calls = []

        def dropper(s, value, old):
            calls.append(value.unpack())
            holder.clear()
            gc.collect()

        holder['atom'].listen(dropper)
        holder['atom'].listen(lambda s, v, o: calls.append(('second', v.unpack())))
        holder['atom'].set_int(1)
        self.assertEqual(calls, [1, ('second', 1)], 'the round goes on')
        gc.collect()
        self.assertEqual(finalized, [True], 'and the atom is freed after it')


class TestTypedListeners(StoreTestCase):
    """The listeners that get plain Python numbers and booleans."""

    def test_typed_listeners_of_each_type(self):
        count = Isle.Atom.new_int('count', 1)
        big = Isle.Atom.new_int64('big', 0)
        price = Isle.Atom.new_double('price', 0.5)
        flag = Isle.Atom.new_boolean('flag', False)
        heard = []

        count.subscribe_int(lambda s, v, o: heard.append(('count', v, o)))
        big.listen_int64(lambda s, v, o: heard.append(('big', v, o)))
        price.listen_double(lambda s, v, o: heard.append(('price', v, o)))
        flag.subscribe_boolean(lambda s, v, o: heard.append(('flag', v, o)))
        self.assertEqual(heard, [('count', 1, 1), ('flag', False, False)])
        del heard[:]

        count.set_int(2)
        count.set(GLib.Variant('i', 3))
        count.set_int(3)
        big.set_int64(1 << 40)
        price.set_double(2.25)
        flag.set_boolean(True)
        self.assertEqual(heard, [('count', 2, 1), ('count', 3, 2), ('big', 1 << 40, 0),
                                 ('price', 2.25, 0.5), ('flag', True, False)])
        self.assertIsInstance(heard[-1][1], bool)
        self.assertEqual(count.get_value().unpack(), 3)

    def test_typed_and_variant_listeners_hear_the_same(self):
        count = Isle.Atom.new_int('count', 0)
        heard = []

        count.listen(lambda s, v, o: heard.append(('variant', v.unpack(), o.unpack())))
        handle = count.listen_int(lambda s, v, o: heard.append(('int', v, o)))
        count.set_int(4)
        self.assertEqual(heard, [('variant', 4, 0), ('int', 4, 0)])

        count.unsubscribe(handle)
        count.set_int(5)
        self.assertEqual(heard[2:], [('variant', 5, 4)])

    def test_typed_listener_of_the_wrong_type(self):
        name = Isle.Atom.new_string('name', 'x')

        with self.expect_message(CRITICAL, '*atom “name” holds values of type “s”, not “i”*'):
            self.assertEqual(name.listen_int(lambda s, v, o: None), 0)
        self.assertEqual(name.get_n_listeners(), 0)


class TestValueProperty(StoreTestCase):
    """The value property: notify::value, bind_property."""

    def test_value_property_and_notify(self):
        a = Isle.Atom.new_int('a', 1)
        self.assertEqual(a.props.value.unpack(), 1)
        self.assertEqual(a.get_property('value').unpack(), 1)
        notes = []
        a.connect('notify::value', lambda obj, pspec: notes.append(obj.props.value.unpack()))

        a.set_int(2)
        self.assertEqual(notes, [2])
        a.props.value = GLib.Variant('i', 3)
        self.assertEqual(a.get_int(), 3)
        self.assertEqual(notes, [2, 3])
        a.set_property('value', GLib.Variant('i', 4))
        self.assertEqual(notes, [2, 3, 4])
        a.set_int(4)  # equal: no notify
        self.assertEqual(notes, [2, 3, 4])

    def test_bind_property_between_atoms(self):
        source = Isle.Atom.new_int('source', 1)
        target = Isle.Atom.new_int('target', 0)
        heard = []
        target.listen(lambda s, v, o: heard.append((v.unpack(), o.unpack())))

        binding = source.bind_property('value', target, 'value',
                                       GObject.BindingFlags.SYNC_CREATE |
                                       GObject.BindingFlags.BIDIRECTIONAL)
        self.assertEqual(target.get_int(), 1)
        source.set_int(5)
        self.assertEqual(target.get_int(), 5)
        target.set_int(7)
        self.assertEqual(source.get_int(), 7)
        self.assertEqual(heard, [(1, 0), (5, 1), (7, 5)])

        binding.unbind()
        source.set_int(9)
        self.assertEqual(target.get_int(), 7)

    def test_bind_property_to_a_python_object(self):
        count = Isle.Atom.new_int('count', 2)
        counter = Counter()
        count.bind_property('value', counter, 'count',
                            GObject.BindingFlags.SYNC_CREATE | GObject.BindingFlags.BIDIRECTIONAL,
                            lambda binding, value: value.unpack() * 10,
                            lambda binding, value: GLib.Variant('i', value // 10))
        self.assertEqual(counter.props.count, 20)
        count.set_int(3)
        self.assertEqual(counter.props.count, 30)
        counter.props.count = 40
        self.assertEqual(count.get_int(), 4)


class TestBatch(StoreTestCase):

    def test_batch_func(self):
        a = Isle.Atom.new_int('a', 0)
        b = Isle.Atom.new_string('b', 'x')
        a_calls, _ = self.recorder(a)
        b_calls, _ = self.recorder(b)
        notes = []
        a.connect('notify::value', lambda obj, pspec: notes.append(obj.props.value.unpack()))

        def changes():
            a.set_int(1)
            a.set_int(2)
            b.set_string('y')
            a.set_int(3)
            self.assertEqual(a.get_int(), 3, 'reads inside a batch see the new value')
            self.assertEqual(a_calls, [], 'no listener is called inside a batch')
            self.assertEqual(b_calls, [])
            self.assertEqual(notes, [])

        Isle.Store.batch(changes)
        self.assertEqual(a_calls, [(3, 0)], 'once, with the final value and the value before')
        self.assertEqual(b_calls, [('y', 'x')])
        self.assertEqual(notes, [3])

    def test_nested_batches(self):
        a = Isle.Atom.new_int('a', 0)
        calls, _ = self.recorder(a)
        Isle.Store.batch_begin()
        a.set_int(1)
        Isle.Store.batch_begin()
        a.set_int(2)
        Isle.Store.batch_end()
        self.assertEqual(calls, [], 'only the outermost batch delivers')
        a.set_int(3)
        Isle.Store.batch_end()
        self.assertEqual(calls, [(3, 0)])

        def outer():
            a.set_int(4)
            Isle.Store.batch(lambda: a.set_int(5))
            self.assertEqual(calls, [(3, 0)])

        Isle.Store.batch(outer)
        self.assertEqual(calls, [(3, 0), (5, 3)])

    def test_changed_and_changed_back(self):
        a = Isle.Atom.new_int('a', 0)
        calls, _ = self.recorder(a)
        notes = []
        a.connect('notify::value', lambda obj, pspec: notes.append(True))

        def there_and_back():
            a.set_int(5)
            a.set_int(0)

        Isle.Store.batch(there_and_back)
        self.assertEqual(calls, [])
        self.assertEqual(notes, [])

    def test_batch_func_that_raises_still_delivers(self):
        a = Isle.Atom.new_int('a', 0)
        calls, _ = self.recorder(a)

        def fails():
            a.set_int(1)
            raise KeyError('inside the batch')

        # The overrides re-raise it in the caller's frame.
        with self.assertRaises(KeyError):
            Isle.Store.batch(fails)
        self.assertEqual(calls, [(1, 0)], 'a batch left by an exception still delivers')
        a.set_int(2)
        self.assertEqual(calls, [(1, 0), (2, 1)], 'and the batch is over')

    def test_python_listener_on_two_stores(self):
        # Each Python registration is its own closure (its own data), so the
        # "same function and data" merge of a batch does not apply: the
        # listener hears each store once, with its final value.
        x = Isle.Atom.new_int('x', 0)
        y = Isle.Atom.new_int('y', 0)
        seen = []

        def listener(store, value, old):
            seen.append((store.get_name(), value.unpack(), old.unpack()))

        x.listen(listener)
        y.listen(listener)

        def changes():
            x.set_int(1)
            y.set_int(2)
            x.set_int(3)

        Isle.Store.batch(changes)
        self.assertEqual(sorted(seen), [('x', 3, 0), ('y', 2, 0)])

    def test_batch_with_set_inside_a_listener(self):
        a = Isle.Atom.new_int('a', 0)
        b = Isle.Atom.new_int('b', 0)
        b_calls, _ = self.recorder(b)

        def mirror(s, value, old):
            b.set_int(value.unpack() * 10)

        a.listen(mirror)
        Isle.Store.batch(lambda: a.set_int(1))
        self.assertEqual(b_calls, [(10, 0)])


class TestLifecycle(StoreTestCase):

    def test_defaults(self):
        a = Isle.Atom.new_int('a', 0)
        self.assertEqual(a.get_stop_delay(), 1000)
        self.assertEqual(a.props.stop_delay, 1000)
        self.assertFalse(a.get_started())
        self.assertFalse(a.props.started)
        self.assertEqual(a.get_context(), GLib.MainContext.default())

    def test_start_runs_inside_the_first_subscribe(self):
        a = Isle.Atom.new_int('lazy', 0)
        events = []

        def on_start(store):
            events.append('start')
            store.set_int(42)  # e.g. the value a file monitor just read

        a.connect('start', on_start)
        a.connect('stop', lambda store: events.append('stop'))
        started_notes = []
        a.connect('notify::started', lambda obj, pspec: started_notes.append(obj.props.started))

        calls, h1 = self.recorder(a, subscribe=True)
        self.assertEqual(events, ['start'])
        self.assertEqual(calls, [(42, None)], 'the subscriber sees what the start handler set')
        self.assertTrue(a.get_started())
        self.assertEqual(started_notes, [True])

        _, h2 = self.recorder(a)
        self.assertEqual(events, ['start'], 'only the first listener starts it')
        a.unsubscribe(h1)
        a.unsubscribe(h2)

    def test_stop_after_the_stop_delay(self):
        a = Isle.Atom.new_int('timed', 0)
        a.set_stop_delay(30)
        self.assertEqual(a.props.stop_delay, 30)
        events = []
        a.connect('start', lambda store: events.append('start'))
        a.connect('stop', lambda store: events.append('stop'))

        handle = a.listen(lambda s, v, o: None)
        t0 = time.monotonic()
        a.unsubscribe(handle)
        self.assertEqual(events, ['start'], 'not at once')
        self.assertTrue(a.get_started())
        self.assertTrue(self.iterate_until(lambda: 'stop' in events))
        self.assertGreaterEqual(time.monotonic() - t0, 0.029)
        self.assertEqual(events, ['start', 'stop'])
        self.assertFalse(a.get_started())

        # Listening again starts it again.
        handle = a.listen(lambda s, v, o: None)
        self.assertEqual(events, ['start', 'stop', 'start'])
        a.unsubscribe(handle)

    def test_quick_resubscribe_does_not_restart(self):
        a = Isle.Atom.new_int('steady', 0)
        a.props.stop_delay = 50
        events = []
        a.connect('start', lambda store: events.append('start'))
        a.connect('stop', lambda store: events.append('stop'))

        a.unsubscribe(a.listen(lambda s, v, o: None))
        self.iterate_for(0.01)
        handle = a.listen(lambda s, v, o: None)
        self.iterate_for(0.12)
        self.assertEqual(events, ['start'], 'no stop and no restart')
        a.unsubscribe(handle)
        self.assertTrue(self.iterate_until(lambda: 'stop' in events))
        self.assertEqual(events, ['start', 'stop'])

    def test_stop_delay_zero_stops_at_once(self):
        a = Isle.Atom.new_int('eager', 0)
        a.props.stop_delay = 0
        events = []
        a.connect('start', lambda store: events.append('start'))
        a.connect('stop', lambda store: events.append('stop'))
        a.unsubscribe(a.subscribe(lambda s, v, o: None))
        self.assertEqual(events, ['start', 'stop'])
        self.assertFalse(a.get_started())


class TestFilter(StoreTestCase):

    def test_accept_replace_reject(self):
        a = Isle.Atom.new_int('guarded', 1)
        calls, _ = self.recorder(a)
        seen = []

        def filter_cb(atom, value, old_value):
            self.assertIs(atom, a)
            n = value.unpack()
            seen.append((n, old_value.unpack()))
            if n < 0:
                return None                      # reject
            if n > 100:
                return GLib.Variant('i', 100)    # replace
            return value                         # accept

        a.set_filter(filter_cb)

        a.set_int(5)
        self.assertEqual(a.get_int(), 5)
        self.assertTrue(a.try_set(GLib.Variant('i', 6)))
        self.assertEqual(a.get_int(), 6)

        a.set_int(500)
        self.assertEqual(a.get_int(), 100, 'replaced by the filter')

        with self.assertRaises(GLib.Error) as caught:
            a.try_set(GLib.Variant('i', -1))
        self.assert_isle_error(caught.exception, Isle.Error.REJECTED)
        self.assertIn('guarded', caught.exception.message)
        self.assertEqual(a.get_int(), 100)

        with self.expect_message(DEBUG, '*atom “guarded”*rejected*'):
            a.set_int(-2)  # set logs a rejection at debug level only
        self.assertEqual(a.get_int(), 100)

        self.assertEqual(seen, [(5, 1), (6, 5), (500, 6), (-1, 100), (-2, 100)])
        self.assertEqual(calls, [(5, 1), (6, 5), (100, 6)])

        a.set_filter(None)
        a.set_int(-3)
        self.assertEqual(a.get_int(), -3)

    def test_reject_by_raising(self):
        a = Isle.Atom.new_string('name', 'ok')
        domain = GLib.quark_from_string('test-stores-error')

        def filter_cb(atom, value, old_value):
            text = value.unpack()
            if text == '':
                raise GLib.Error.new_literal(domain, 'names cannot be empty', 3)
            if text == 'bug':
                raise ValueError('a bug in the filter')
            return GLib.Variant('s', text.strip())

        a.set_filter(filter_cb)
        a.set_string('  spaced  ')
        self.assertEqual(a.dup_string(), 'spaced')

        with self.assertRaises(GLib.Error) as caught:
            a.try_set(GLib.Variant('s', ''))
        self.assert_isle_error(caught.exception, Isle.Error.REJECTED)
        self.assertIn('names cannot be empty', caught.exception.message)
        self.assertEqual(a.dup_string(), 'spaced')

        # Any other exception is reported, and rejects the value too.
        with self.expect_exception(ValueError):
            with self.assertRaises(GLib.Error) as caught:
                a.try_set(GLib.Variant('s', 'bug'))
        self.assert_isle_error(caught.exception, Isle.Error.REJECTED)
        self.assertEqual(a.dup_string(), 'spaced')

    def test_filter_returning_a_wrong_type(self):
        a = Isle.Atom.new_int('sloppy', 1)
        a.set_filter(lambda atom, value, old: GLib.Variant('s', 'oops'))
        with self.assertRaises(GLib.Error) as caught:
            a.try_set(GLib.Variant('i', 2))
        self.assert_isle_error(caught.exception, Isle.Error.WRONG_TYPE)
        self.assertIn('filter', caught.exception.message)
        self.assertEqual(a.get_int(), 1)

    def test_before_notify_cancels(self):
        a = Isle.Atom.new_int('quiet', 0)
        calls, _ = self.recorder(a)
        notes = []
        a.connect('notify::value', lambda obj, pspec: notes.append(obj.props.value.unpack()))
        hook = []

        def before_notify(store, value, old_value):
            hook.append((value.unpack(), old_value.unpack()))
            return value.unpack() == 13  # True: keep the listeners from hearing of it

        a.connect('before-notify', before_notify)
        a.set_int(12)
        a.set_int(13)
        self.assertEqual(a.get_int(), 13, 'the value changed; only the notification is cancelled')
        a.set_int(14)
        self.assertEqual(hook, [(12, 0), (13, 12), (14, 13)])
        self.assertEqual(calls, [(12, 0), (14, 13)])
        self.assertEqual(notes, [12, 14])

        # In a batch, the hook sees the change as a whole.
        Isle.Store.batch(lambda: (a.set_int(1), a.set_int(13)))
        self.assertEqual(hook[-1], (13, 14))
        self.assertEqual(calls, [(12, 0), (14, 13)])


class TestMap(StoreTestCase):

    def test_keys(self):
        profile = Isle.Map.new('profile', GLib.Variant('a{sv}', {
            'name': GLib.Variant('s', 'Ada'),
            'age': GLib.Variant('i', 36),
        }))
        self.assertEqual(profile.get_value_type().dup_string(), 'a{sv}')
        self.assertEqual(profile.get_key('name').unpack(), 'Ada')
        self.assertIsNone(profile.get_key('missing'))
        self.assertEqual(profile.get_value().unpack(), {'name': 'Ada', 'age': 36})

        keys = []
        def key_listener(m, key, value, old):
            self.assertIs(m, profile)
            keys.append((key, unpack(value), unpack(old)))

        handle = profile.listen_keys(['name', 'email'], key_listener)
        whole, _ = self.recorder(profile)

        profile.set_key('age', GLib.Variant('i', 37))
        self.assertEqual(keys, [], 'not a watched key')
        self.assertEqual(whole, [({'name': 'Ada', 'age': 37}, {'name': 'Ada', 'age': 36})])

        profile.set_key('name', GLib.Variant('s', 'Grace'))
        profile.set_key('email', GLib.Variant('s', 'g@example.org'))
        profile.set_key('name', GLib.Variant('s', 'Grace'))  # same value: nothing
        profile.set_key('email', None)                       # removed
        profile.set_key('email', None)                       # absent already: nothing
        self.assertEqual(keys, [('name', 'Grace', 'Ada'),
                                ('email', 'g@example.org', None),
                                ('email', None, 'g@example.org')])
        self.assertEqual(len(whole), 4)
        self.assertIsNone(profile.get_key('email'))

        profile.unsubscribe(handle)
        profile.set_key('name', GLib.Variant('s', 'Ada'))
        self.assertEqual(len(keys), 3)

    def test_keys_in_a_batch(self):
        m = Isle.Map.new('settings', None)
        self.assertEqual(m.get_value().unpack(), {})
        keys = []
        m.listen_keys(['a', 'b'], lambda mp, key, value, old: keys.append((key, unpack(value), unpack(old))))
        whole, _ = self.recorder(m)

        def changes():
            m.set_key('a', GLib.Variant('i', 1))
            m.set_key('b', GLib.Variant('i', 2))
            m.set_key('c', GLib.Variant('i', 3))
            m.set_key('a', GLib.Variant('i', 4))

        Isle.Store.batch(changes)
        self.assertEqual(sorted(keys), [('a', 4, None), ('b', 2, None)],
                         'one call per changed watched key, with its final value')
        self.assertEqual(whole, [({'a': 4, 'b': 2, 'c': 3}, {})])

    def test_update_key(self):
        cart = Isle.Map.new('cart', None)
        keys = []
        cart.listen_keys(['tea'], lambda m, key, value, old: keys.append((unpack(value), unpack(old))))

        def add(n):
            return lambda m, key, current: GLib.Variant('i', (current.unpack() if current else 0) + n)

        self.assertTrue(cart.update_key('tea', add(2)))
        self.assertTrue(cart.update_key('tea', add(3)))
        self.assertFalse(cart.update_key('tea', lambda m, key, current: current), 'same value: no change')
        self.assertTrue(cart.update_key('tea', lambda m, key, current: current.unpack() + 1), 'a plain int')
        self.assertEqual(cart.get_key('tea').get_type_string(), 'i')
        self.assertTrue(cart.update_key('tea', lambda m, key, current: current.unpack() - 1))
        self.assertTrue(cart.update_key('tea', lambda m, key, current: None), 'None removes the key')
        with self.assertRaises(TypeError):
            cart.update_key('tea', lambda m, key, current: object())
        with self.assertRaises(KeyError):
            cart.update_key('tea', lambda m, key, current: {}['missing'])
        self.assertEqual(keys, [(2, None), (5, 2), (6, 5), (5, 6), (None, 5)])
        self.assertIsNone(cart.get_key('tea'))

    def test_update_key_from_threads(self):
        cart = Isle.Map.new('cart', None)

        def adder():
            for _ in range(500):
                cart.update_key('tea', lambda m, key, current:
                                GLib.Variant('i', (current.unpack() if current else 0) + 1))

        threads = [threading.Thread(target=adder) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(cart.get_key('tea').unpack(), 2000, 'no update lost')

    def test_atom_update(self):
        a = Isle.Atom.new_int('count', 1)
        heard, _ = self.recorder(a)
        self.assertTrue(a.update(lambda atom, current: GLib.Variant('i', current.unpack() + 1)))
        self.assertEqual(a.get_int(), 2)
        self.assertTrue(a.update(lambda atom, current: None), 'None leaves it as it is')
        self.assertEqual(heard, [(2, 1)])
        self.assertTrue(a.update(lambda atom, current: current.unpack() + 1), 'a plain int')
        self.assertEqual(a.get_int(), 3)
        with self.assertRaises(TypeError) as caught:
            a.update(lambda atom, current: 'text')
        self.assertIn("atom 'count'", str(caught.exception))
        with self.assertRaises(ZeroDivisionError):
            a.update(lambda atom, current: 1 // 0)
        self.assertEqual(a.get_int(), 3)
        a.set_int(2)
        del heard[:]
        heard.append((2, 1))

        # A filter still decides; a rejected update raises and changes nothing.
        domain = GLib.quark_from_string('test-stores-error')

        def no_negatives(atom, value, old):
            self.assertEqual(old.unpack(), 2, 'the filter sees the value the update started from')
            if value.unpack() < 0:
                raise GLib.Error.new_literal(domain, 'no negatives', 1)
            return value
        a.set_filter(no_negatives)
        with self.assertRaises(GLib.Error) as caught:
            a.update(lambda atom, current: GLib.Variant('i', -5))
        self.assert_isle_error(caught.exception, Isle.Error.REJECTED)
        self.assertIn('no negatives', caught.exception.message)
        self.assertEqual(a.get_int(), 2)
        with self.assertRaises(GLib.Error):
            a.update(lambda atom, current: GLib.Variant('s', 'text'))
        self.assertEqual(a.get_int(), 2)
        self.assertEqual(heard, [(2, 1)])

    def test_atom_update_from_threads(self):
        a = Isle.Atom.new_int('count', 0)

        def adder():
            for _ in range(500):
                a.update(lambda atom, current: GLib.Variant('i', current.unpack() + 1))

        threads = [threading.Thread(target=adder) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(a.get_int(), 2000, 'no update lost')


class TestSettings(StoreTestCase):
    """isle_store_bind_setting(): g_settings_bind() cannot bind a store's
    GVariant "value" property; this can, with the schema's type checked."""

    def settings(self):
        source = Gio.SettingsSchemaSource.new_from_directory(
            os.environ['ISLE_TEST_SCHEMA_DIR'], None, False)
        schema = source.lookup('org.isletoolkit.Isle.Test', False)
        return Gio.Settings.new_full(schema, Gio.memory_settings_backend_new(), None)

    def test_both_ways(self):
        settings = self.settings()
        count = Isle.Atom.new_int('count', 0)
        heard, _ = self.recorder(count)
        self.assertTrue(count.bind_setting(settings, 'count', Gio.SettingsBindFlags.DEFAULT))
        self.assertEqual(count.get_int(), 42, 'the setting\'s value at once')
        count.set_int(7)
        self.assertEqual(settings.get_int('count'), 7)
        settings.set_int('count', 9)
        self.assertEqual(count.get_int(), 9)
        self.assertEqual(heard, [(42, 0), (7, 42), (9, 7)])
        Gio.Settings.unbind(count, 'value')
        settings.set_int('count', 10)
        self.assertEqual(count.get_int(), 9)

    def test_wrong_type_raises(self):
        settings = self.settings()
        name = Isle.Atom.new_string('name', 'x')
        with self.assertRaises(GLib.Error) as caught:
            name.bind_setting(settings, 'count', Gio.SettingsBindFlags.DEFAULT)
        self.assert_isle_error(caught.exception, Isle.Error.WRONG_TYPE)
        with self.assertRaises(GLib.Error) as caught:
            name.bind_setting(settings, 'nope', Gio.SettingsBindFlags.DEFAULT)
        self.assert_isle_error(caught.exception, Isle.Error.NOT_FOUND)
        self.assertEqual(name.dup_string(), 'x')


class TestComputed(StoreTestCase):

    def make_sum(self, x, y, calls, name='sum'):
        def sum_cb(values):
            self.assertIsInstance(values, GLib.Variant)
            self.assertEqual(values.get_type_string(), '(ii)')
            calls.append(values.unpack())
            return GLib.Variant('i', values[0] + values[1])

        return Isle.Computed.new(name, INT, [x, y], sum_cb)

    def test_plain_python_values(self):
        # The overrides pack what a computed function returns into the
        # store's type: no GLib.Variant needed.
        x = Isle.Atom.new_int('x', 2)
        tripled = Isle.Computed.new('tripled', INT, [x], lambda values: values[0] * 3)
        self.assertEqual(tripled.get_int(), 6)
        label = Isle.Computed.new('label', GLib.VariantType.new('s'), [x],
                                  lambda values: '%d items' % values[0])
        self.assertEqual(label.dup_string(), '2 items')
        x.set_int(5)
        self.assertEqual(tripled.get_int(), 15)
        self.assertEqual(label.dup_string(), '5 items')
        variant = Isle.Computed.new('variant', INT, [x], lambda values: GLib.Variant('i', 1))
        self.assertEqual(variant.get_int(), 1, 'a GLib.Variant still works')

    def test_wrong_python_value_raises_type_error_naming_the_store(self):
        x = Isle.Atom.new_int('x', 2)
        wrong = Isle.Computed.new('wrong', INT, [x],
                                  lambda values: 'text' if values[0] > 2 else values[0])
        self.assertEqual(wrong.get_int(), 2)
        x.set_int(3)
        raised = len(self.exceptions)
        with self.expect_exception(TypeError):
            with self.expect_message(WARNING, '*computed*wrong*failed*'):
                self.assertEqual(wrong.get_int(), 2, 'the last good value is kept')
                error = self.exceptions[raised]
        self.assertIn("computed store 'wrong'", str(error))
        self.assertIn("'text'", str(error))
        self.assertIn("'i'", str(error))

    def test_python_function_and_laziness(self):
        x = Isle.Atom.new_int('x', 1)
        y = Isle.Atom.new_int('y', 2)
        calls = []
        total = self.make_sum(x, y, calls)
        self.assertIsInstance(total, Isle.Store)
        self.assertEqual(calls, [], 'nothing computed before it is read')
        self.assertEqual(x.get_n_listeners(), 0)

        self.assertEqual(total.get_int(), 3)
        self.assertEqual(total.get_value().unpack(), 3)
        self.assertEqual(total.props.value.unpack(), 3)
        self.assertEqual(calls, [(1, 2)], 'computed once, then cached')
        self.assertEqual(x.get_n_listeners(), 0, 'reading does not subscribe')

        x.set_int(1)  # equal: no new version
        self.assertEqual(total.get_int(), 3)
        self.assertEqual(len(calls), 1)

        x.set_int(10)
        self.assertEqual(len(calls), 1, 'still lazy')
        self.assertEqual(total.get_int(), 12, 'always right on get, without listeners')
        self.assertEqual(total.get_int(), 12)
        self.assertEqual(calls, [(1, 2), (10, 2)])

    def test_subscribed_to_sources_only_while_listened_to(self):
        x = Isle.Atom.new_int('x', 1)
        y = Isle.Atom.new_int('y', 2)
        calls = []
        total = self.make_sum(x, y, calls)
        total.props.stop_delay = 0

        heard, handle = self.recorder(total, subscribe=True)
        self.assertEqual(heard, [(3, None)])
        self.assertEqual(calls, [(1, 2)])
        self.assertEqual((x.get_n_listeners(), y.get_n_listeners()), (1, 1))

        y.set_int(5)
        self.assertEqual(heard, [(3, None), (6, 3)])
        self.assertEqual(calls, [(1, 2), (1, 5)])
        self.assertEqual(total.get_int(), 6)
        self.assertEqual(len(calls), 2, 'listened to: up to date, no recompute on get')

        total.unsubscribe(handle)
        self.assertEqual((x.get_n_listeners(), y.get_n_listeners()), (0, 0))
        x.set_int(7)
        self.assertEqual(len(calls), 2)
        self.assertEqual(total.get_int(), 12)

    def test_sources_kept_during_the_stop_delay(self):
        x = Isle.Atom.new_int('x', 1)
        y = Isle.Atom.new_int('y', 2)
        total = self.make_sum(x, y, [])
        total.props.stop_delay = 20
        total.unsubscribe(total.listen(lambda s, v, o: None))
        self.assertEqual(x.get_n_listeners(), 1, 'still started during the stop delay')
        self.assertTrue(self.iterate_until(lambda: x.get_n_listeners() == 0))
        self.assertEqual(y.get_n_listeners(), 0)
        self.assertFalse(total.get_started())

    def test_computed_from_computed(self):
        x = Isle.Atom.new_int('x', 2)
        square = Isle.Computed.new('square', INT, [x],
                                   lambda values: GLib.Variant('i', values[0] ** 2))
        label = Isle.Computed.new('label', GLib.VariantType.new('s'), [x, square],
                                  lambda values: GLib.Variant('s', '%d² = %d' % values.unpack()))
        self.assertEqual(label.dup_string(), '2² = 4')
        heard, _ = self.recorder(label)
        x.set_int(3)
        self.assertEqual(label.dup_string(), '3² = 9')
        self.assertEqual(heard, [('3² = 9', '2² = 4')], 'no glitch: never "3² = 4"')

    def test_listened_computed_read_from_a_source_listener(self):
        # A computed store that has listeners, read by a listener of its
        # source that runs before the computed store's own listener on that
        # source: the value must already be the new one.
        x = Isle.Atom.new_int('x', 2)
        square = Isle.Computed.new('square', INT, [x],
                                   lambda values: GLib.Variant('i', values[0] ** 2))
        read = []
        x.listen(lambda s, v, o: read.append((v.unpack(), square.get_int())))
        square.listen(lambda s, v, o: None)
        x.set_int(3)
        self.assertEqual(read, [(3, 9)], 'a stale read of a listened computed store')

    def test_failing_function(self):
        x = Isle.Atom.new_int('x', 1)

        def checked(values):
            n = values[0]
            if n == 13:
                raise ValueError('unlucky')
            if n < 0:
                return None
            if n == 99:
                return GLib.Variant('s', 'not a number')
            return GLib.Variant('i', n * 10)

        total = Isle.Computed.new('total', INT, [x], checked)
        heard, _ = self.recorder(total)
        self.assertEqual(total.get_int(), 10)

        with self.expect_message(WARNING, '*computed store “total” failed*'):
            x.set_int(-1)
        self.assertEqual(total.get_int(), 10, 'keeps the last good value')
        with self.expect_message(WARNING, '*failed*', count=0):
            x.set_int(-2)  # still failing: reported once
            total.get_int()
        self.assertEqual(heard, [])

        x.set_int(2)
        self.assertEqual(total.get_int(), 20)
        self.assertEqual(heard, [(20, 10)])

        with self.expect_exception(ValueError):
            with self.expect_message(WARNING, '*computed store “total” failed*'):
                x.set_int(13)
        self.assertEqual(total.get_int(), 20)

        x.set_int(3)
        with self.expect_message(WARNING, '*computed store “total” failed*'):
            x.set_int(99)
        self.assertEqual(total.get_int(), 30)

    def test_failing_function_without_listeners(self):
        x = Isle.Atom.new_int('x', -1)
        c = Isle.Computed.new('broken', INT, [x],
                              lambda values: None if values[0] < 0 else GLib.Variant('i', values[0]))
        with self.expect_message(WARNING, '*computed store “broken” failed*'):
            self.assertEqual(c.get_int(), 0, 'never computed: the default value')
        x.set_int(4)
        self.assertEqual(c.get_int(), 4)

    def test_batched(self):
        x = Isle.Atom.new_int('x', 1)
        y = Isle.Atom.new_int('y', 2)
        calls = []
        total = self.make_sum(x, y, calls, name='batched-sum')
        self.assertFalse(total.get_batched())
        total.set_batched(True)
        self.assertTrue(total.props.batched)
        heard, _ = self.recorder(total)
        self.assertEqual(calls, [(1, 2)])

        x.set_int(10)
        y.set_int(20)
        x.set_int(30)
        self.assertEqual(len(calls), 1, 'no recompute before the main loop turns')
        self.drain()
        self.assertEqual(calls, [(1, 2), (30, 20)], 'one recompute for the whole turn')
        self.assertEqual(heard, [(50, 3)])

        # Read before the main loop turns: computed at once, and only once.
        y.set_int(0)
        self.assertEqual(total.get_int(), 30)
        self.drain()
        self.assertEqual(calls, [(1, 2), (30, 20), (30, 0)])
        self.assertEqual(heard, [(50, 3), (30, 50)])

    def test_read_only(self):
        x = Isle.Atom.new_int('x', 1)
        c = Isle.Computed.new('double', INT, [x], lambda values: GLib.Variant('i', values[0] * 2))
        self.assertEqual(c.get_int(), 2)
        self.assertFalse(hasattr(c, 'set_int'))
        with self.expect_message(CRITICAL, '*computed store “double”*is read-only*'):
            c.props.value = GLib.Variant('i', 100)
        self.assertEqual(c.get_int(), 2)


class TestThreads(StoreTestCase):

    def test_set_from_threads_delivered_on_the_main_context(self):
        a = Isle.Atom.new_int('shared', 0)
        main_thread = threading.get_ident()
        heard = []
        a.listen(lambda s, v, o: heard.append((threading.get_ident(), v.unpack(), o.unpack())))

        def writer(base):
            for k in range(1, 51):
                a.set_int(base + k)

        threads = [threading.Thread(target=writer, args=(base,)) for base in (1000, 2000)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        self.assertEqual(heard, [], 'nothing is delivered before the main context runs')
        self.assertIn(a.get_int(), (1050, 2050))
        self.assertTrue(self.iterate_until(lambda: len(heard) == 100))
        self.assertEqual({thread for thread, _, _ in heard}, {main_thread})

        values = [v for _, v, _ in heard]
        for base in (1000, 2000):
            self.assertEqual([v for v in values if base < v <= base + 50],
                             list(range(base + 1, base + 51)),
                             'each thread\'s changes in the order it made them')
        olds = [o for _, _, o in heard]
        self.assertEqual(olds, [0] + values[:-1], 'every value, in order')
        self.assertEqual(values[-1], a.get_int())

    def test_owner_setting_while_others_wait_ends_on_the_stores_value(self):
        # Rounds of another thread and the main thread each setting once,
        # racing, the main context drained every fourth round: the listener
        # hears an unbroken chain (each old value the previous new one) and
        # ends each drain on the store's value.
        a = Isle.Atom.new_int('racing', 0)
        heard = {'last': 0, 'breaks': 0}

        def listener(store, value, old):
            if old.unpack() != heard['last']:
                heard['breaks'] += 1
            heard['last'] = value.unpack()

        a.listen(listener)
        rounds = 2000
        barrier = threading.Barrier(2)

        def partner():
            for r in range(rounds):
                barrier.wait()
                for k in range(4):
                    a.set_int(100 * r + 2 * k + 1)
                barrier.wait()

        t = threading.Thread(target=partner)
        t.start()
        stale = 0
        for r in range(rounds):
            barrier.wait()
            for k in range(4):
                a.set_int(100 * r + 2 * k + 2)
            barrier.wait()
            if r % 4 == 3:
                self.drain()
                if heard['last'] != a.get_int():
                    stale += 1
        t.join()
        self.drain()
        self.assertEqual((stale, heard['breaks']), (0, 0))
        self.assertEqual(heard['last'], a.get_int())

    def test_listen_from_another_thread_is_refused(self):
        a = Isle.Atom.new_int('foreign-listen', 0)
        handles = []
        with self.expect_message(CRITICAL, '*listeners are added on the thread that created*'):
            t = threading.Thread(target=lambda: handles.append(a.listen(lambda s, v, o: None)))
            t.start()
            t.join()
        self.assertEqual(handles, [0])
        self.assertEqual(a.get_n_listeners(), 0)

    def test_get_from_a_thread_returns_a_whole_value(self):
        a = Isle.Atom.new('text', GLib.VariantType.new('as'), GLib.Variant('as', ['a'] * 100))
        bad = []
        stop = threading.Event()

        def reader():
            while not stop.is_set():
                value = a.get_value().unpack()
                if len(value) != 100 or len(set(value)) != 1:
                    bad.append(value)

        t = threading.Thread(target=reader)
        t.start()
        try:
            for k in range(300):
                a.set(GLib.Variant('as', ['%d' % k] * 100))
        finally:
            stop.set()
            t.join()
        self.assertEqual(bad, [])


class TestRegistry(StoreTestCase):

    def setUp(self):
        super().setUp()
        self.registry = Isle.Registry.get_default()
        self.added = []

    def tearDown(self):
        for name in self.added:
            self.registry.remove(name)
        super().tearDown()

    def test_default_and_list_model(self):
        self.assertIs(Isle.Registry.get_default(), self.registry)
        self.assertIsInstance(self.registry, Gio.ListModel)
        self.assertEqual(self.registry.get_item_type(), Isle.Store.__gtype__)

        changes = []
        self.registry.connect('items-changed',
                              lambda model, position, removed, added:
                              changes.append((position, removed, added)))
        n = self.registry.get_n_items()
        self.added.append('py-list')
        atom = self.registry.ensure_atom('py-list', INT, GLib.Variant('i', 1))
        self.assertEqual(self.registry.get_n_items(), n + 1)
        self.assertIs(self.registry.get_item(n), atom)
        self.assertIn(atom, list(self.registry))
        self.assertEqual(changes, [(n, 0, 1)])

        self.assertTrue(self.registry.remove('py-list'))
        self.assertEqual(changes, [(n, 0, 1), (n, 1, 0)])
        self.assertEqual(self.registry.get_n_items(), n)
        self.assertFalse(self.registry.remove('py-list'))

    def test_ensure_atom(self):
        self.added.append('py-count')
        count = self.registry.ensure_atom('py-count', INT, GLib.Variant('i', 3))
        self.assertIsInstance(count, Isle.Atom)
        self.assertEqual(count.get_int(), 3)
        self.assertEqual(count.get_name(), 'py-count')
        self.assertIs(self.registry.lookup('py-count'), count)

        again = self.registry.ensure_atom('py-count', INT, GLib.Variant('i', 99))
        self.assertIs(again, count, 'same name and type: the same object')
        self.assertEqual(count.get_int(), 3, 'the initial value applies only on creation')

        with self.assertRaises(GLib.Error) as caught:
            self.registry.ensure_atom('py-count', GLib.VariantType.new('s'), None)
        self.assert_isle_error(caught.exception, Isle.Error.WRONG_TYPE)

        self.added.append('py-typo')
        with self.assertRaises(GLib.Error) as caught:
            self.registry.ensure_atom('py-typo', INT, GLib.Variant('s', 'three'))
        self.assert_isle_error(caught.exception, Isle.Error.WRONG_TYPE)
        self.assertIsNone(self.registry.lookup('py-typo'))

        # An indefinite type raises; the interpreter lives on.
        for indefinite in ('*', 'a?', 'm*'):
            with self.assertRaises(GLib.Error) as caught:
                self.registry.ensure_atom('py-typo', GLib.VariantType.new(indefinite), None)
            self.assert_isle_error(caught.exception, Isle.Error.WRONG_TYPE)
        self.assertIsNone(self.registry.lookup('py-typo'))

        self.added.append('py-zero')
        zero = self.registry.ensure_atom('py-zero', GLib.VariantType.new('d'), None)
        self.assertEqual(zero.get_double(), 0.0)

    def test_add_lookup_remove(self):
        m = Isle.Map.new('py-map', None)
        self.added.append('py-map')
        self.assertTrue(self.registry.add(m))
        self.assertIs(self.registry.lookup('py-map'), m)

        with self.assertRaises(GLib.Error) as caught:
            self.registry.add(Isle.Atom.new_int('py-map', 0))
        self.assert_isle_error(caught.exception, Isle.Error.EXISTS)
        self.assertIs(self.registry.lookup('py-map'), m)

        with self.assertRaises(GLib.Error) as caught:
            self.registry.ensure_atom('py-map', GLib.VariantType.new('a{sv}'), None)
        self.assert_isle_error(caught.exception, Isle.Error.WRONG_TYPE)

        with self.assertRaises(GLib.Error) as caught:
            self.registry.add(Isle.Atom.new_int(None, 0))
        self.assert_isle_error(caught.exception, Isle.Error.FAILED)

        x = Isle.Atom.new_int('py-x', 1)
        c = Isle.Computed.new('py-computed', INT, [x], lambda values: GLib.Variant('i', values[0] + 1))
        self.added.append('py-computed')
        self.assertTrue(self.registry.add(c))
        self.assertEqual(self.registry.lookup('py-computed').get_int(), 2)

        self.assertTrue(self.registry.remove('py-map'))
        self.assertIsNone(self.registry.lookup('py-map'))
        self.assertIsNone(self.registry.lookup('never-registered'))

    def test_registry_shared_with_c(self):
        path = os.environ.get('ISLE_TEST_PEER')
        if not path:
            self.fail('ISLE_TEST_PEER is not set (run through meson test)')
        # The peer links the libisle-1 the typelib already loaded: one
        # library, one registry.
        peer = ctypes.CDLL(path)
        peer.isle_test_peer_get_changes.restype = ctypes.c_int
        peer.isle_test_peer_get_last_value.restype = ctypes.c_int
        peer.isle_test_peer_get_cart.restype = ctypes.c_int
        peer.isle_test_peer_set_cart.argtypes = [ctypes.c_int]
        changes = ctypes.c_int.in_dll(peer, 'isle_test_peer_changes')

        self.assertIsNone(self.registry.lookup('cart'))
        n = self.registry.get_n_items()
        peer.isle_test_peer_create_cart()
        self.added.append('cart')

        cart = self.registry.lookup('cart')
        self.assertIsInstance(cart, Isle.Atom, 'the atom C created, found from Python')
        self.assertEqual(cart.get_int(), 7)
        self.assertEqual(cart.get_value_type().dup_string(), 'i')
        self.assertEqual(self.registry.get_n_items(), n + 1)
        self.assertIs(self.registry.get_item(n), cart)
        self.assertIs(self.registry.ensure_atom('cart', INT, GLib.Variant('i', 0)), cart,
                      'ensure_atom from Python gives the object C made')
        self.assertEqual(cart.get_n_listeners(), 1, 'the C listener')

        # Python sets, C hears.
        self.assertEqual(peer.isle_test_peer_get_changes(), 0)
        cart.set_int(8)
        self.assertEqual(peer.isle_test_peer_get_changes(), 1)
        self.assertEqual(changes.value, 1)
        self.assertEqual(peer.isle_test_peer_get_last_value(), 8)
        self.assertEqual(peer.isle_test_peer_get_cart(), 8)

        # C sets, Python hears.
        heard, handle = self.recorder(cart)
        peer.isle_test_peer_set_cart(9)
        self.assertEqual(heard, [(9, 8)])
        self.assertEqual(cart.get_int(), 9)
        self.assertEqual(peer.isle_test_peer_get_changes(), 2)
        self.assertEqual(peer.isle_test_peer_get_last_value(), 9)

        # Through the value property too (bindings made on either side).
        cart.props.value = GLib.Variant('i', 10)
        self.assertEqual(peer.isle_test_peer_get_changes(), 3)
        self.assertEqual(peer.isle_test_peer_get_last_value(), 10)
        self.assertEqual(heard, [(9, 8), (10, 9)])

        # A batch made in Python reaches the C listener once.
        Isle.Store.batch(lambda: (cart.set_int(11), cart.set_int(12)))
        self.assertEqual(peer.isle_test_peer_get_changes(), 4)
        self.assertEqual(peer.isle_test_peer_get_last_value(), 12)
        cart.unsubscribe(handle)


class TestDebugLog(StoreTestCase):
    """ISLE_DEBUG=stores: read once, when the store class is set up, so it
    runs in a child process with the variable set."""

    def test_debug_stores(self):
        script = textwrap.dedent('''
            import ctypes
            import gi
            gi.require_version('GLib', '2.0')
            gi.require_version('Isle', '1')
            from gi.repository import GLib, Isle

            def writer(level, fields, *user_data):
                if level & GLib.LogLevelFlags.LEVEL_MESSAGE:
                    record = {}
                    for field in fields:
                        if field.length == -1:
                            record[field.key] = ctypes.string_at(field.value).decode()
                    if 'ISLE_EVENT' in record:
                        print('|'.join(record.get(k, '-') for k in
                                       ('ISLE_STORE', 'ISLE_EVENT', 'ISLE_OLD', 'ISLE_NEW', 'MESSAGE')))
                return GLib.LogWriterOutput.HANDLED

            GLib.log_set_writer_func(writer)
            a = Isle.Atom.new_int('dbg', 1)
            a.props.stop_delay = 0
            handle = a.subscribe(lambda s, v, o: None)
            a.set_int(2)
            a.unsubscribe(handle)
        ''')
        env = dict(os.environ, ISLE_DEBUG='stores')
        result = subprocess.run([sys.executable, '-c', script], capture_output=True,
                                text=True, env=env, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        records = [line.split('|') for line in result.stdout.splitlines()]
        self.assertEqual([r[:2] for r in records],
                         [['dbg', 'start'], ['dbg', 'change'], ['dbg', 'stop']], result.stdout)
        self.assertEqual(records[1][2:], ['1', '2', 'store dbg: 1 → 2'])
        for r in (records[0], records[2]):
            self.assertIn('dbg', r[4])


if __name__ == '__main__':
    unittest.main(verbosity=2)
