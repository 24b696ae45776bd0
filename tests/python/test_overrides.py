#!/usr/bin/python3
# The Pythonic layer, gi.overrides.Isle (widgets/python/gi/overrides/Isle.py):
# values, decorators, context managers, plain-value listeners, handles, the
# mapping form of maps, island helpers and the errors Python users expect.
# The island cases need a display (the suite runs under xvfb-run) and are
# skipped without one.

import gc
import os
import sys
import time
import unittest

import gi

gi.require_version('Isle', '1')
from gi.repository import GLib, GObject, Isle  # noqa: E402

HAVE_DISPLAY = bool(os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY'))
if HAVE_DISPLAY:
    gi.require_version('Gtk', '4.0')
    from gi.repository import Gtk  # noqa: E402
    HAVE_DISPLAY = Gtk.init_check()


def drain():
    context = GLib.MainContext.default()
    while context.iteration(False):
        pass


def run_until(predicate, timeout=5.0):
    context = GLib.MainContext.default()
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        context.iteration(False)
        time.sleep(0.002)
    return True


class TestLoading(unittest.TestCase):

    def test_overrides_are_the_build_trees(self):
        # Found through PYTHONPATH (tests, meson devenv), not some other copy.
        import gi.overrides.Isle as overrides
        here = os.path.dirname(os.path.abspath(__file__))
        source = os.path.join(os.path.dirname(os.path.dirname(here)), 'widgets', 'python')
        self.assertTrue(os.path.abspath(overrides.__file__).startswith(source), overrides.__file__)
        self.assertIs(Isle.State, overrides.State)
        self.assertIs(Isle.Island, overrides.Island)

    def test_everything_added_is_documented(self):
        import gi.overrides.Isle as overrides
        undocumented = []
        for name in overrides.__all__:
            item = getattr(overrides, name)
            if not (item.__doc__ or '').strip():
                undocumented.append(name)
            if isinstance(item, type):
                for attr, member in vars(item).items():
                    if attr.startswith('_'):
                        continue
                    func = member.fget if isinstance(member, property) else getattr(member, '__func__', member)
                    if callable(func) and not (func.__doc__ or '').strip():
                        undocumented.append('%s.%s' % (name, attr))
        for helper in (overrides._StoreHelpers, overrides._AtomHelpers, overrides._GraphHelpers):
            for attr, member in vars(helper).items():
                func = member.fget if isinstance(member, property) else member
                if not attr.startswith('_') and callable(func) and not (func.__doc__ or '').strip():
                    undocumented.append('%s.%s' % (helper.__name__, attr))
        self.assertEqual(undocumented, [])


class TestGraph(unittest.TestCase):

    def setUp(self):
        self.graph = Isle.Graph.new()

    def tearDown(self):
        self.graph.dispose_nodes()

    def test_state_types_from_values(self):
        g = self.graph
        cases = [(1, GObject.TYPE_INT), (2**40, GObject.TYPE_INT64), (1.5, GObject.TYPE_DOUBLE),
                 ('text', GObject.TYPE_STRING), (True, GObject.TYPE_BOOLEAN),
                 (GLib.Variant('i', 3), GObject.TYPE_VARIANT), ([1, 2], GObject.TYPE_PYOBJECT)]
        for value, gtype in cases:
            state = g.state(value)
            self.assertIsInstance(state, Isle.State)
            self.assertEqual(state.get_value_type(), gtype, value)
            self.assertEqual(state.value, value)
        obj = Isle.Atom.new_int('object-in-a-state', 0)
        s = g.state(obj)
        self.assertEqual(s.get_value_type(), Isle.Atom.__gtype__)
        self.assertIs(s.value, obj)

    def test_state_explicit_type(self):
        g = self.graph
        with self.assertRaisesRegex(TypeError, 'type='):
            g.state(None)
        s = g.state(None, type=Isle.Atom)
        self.assertIsNone(s.value)
        atom = Isle.Atom.new_int('explicit', 0)
        s.value = atom
        self.assertIs(s.value, atom)
        with self.assertRaises(TypeError):
            s.value = 'not an atom'
        self.assertIs(s.value, atom)
        s64 = g.state(1, type=GObject.TYPE_INT64)
        self.assertEqual(s64.get_value_type(), GObject.TYPE_INT64)
        s64.value = 2**40
        self.assertEqual(s64.get_int64(), 2**40)
        self.assertEqual(g.state(3, type=float).value, 3.0)
        with self.assertRaises(TypeError):
            g.state('x', type=int)

    def test_value_get_set_and_wrong_types(self):
        s = self.graph.state(5)
        s.set_name('count')
        s.value = 6
        self.assertEqual(s.get_int(), 6)
        for bad in ('six', 6.5, None, [6]):
            with self.assertRaisesRegex(TypeError, "state 'count'"):
                s.value = bad
            self.assertEqual(s.value, 6)
        with self.assertRaises(TypeError):
            s.set_string('six')
        with self.assertRaises(TypeError):
            s.value = 2**40  # does not fit a gint
        self.assertEqual(s.value, 6)

    def test_derived_lambda_and_decorator(self):
        g = self.graph
        count = g.state(1)
        runs = []

        @g.derived
        def total():
            runs.append(1)
            return count.value * 3

        text = g.derived(lambda: '%d items' % count.value, type=str)
        self.assertEqual(runs, [], 'lazy: not computed before it is read')
        self.assertEqual(total.value, 3)
        self.assertEqual(total.get_name(), 'total')
        self.assertEqual(text.value, '1 items')
        self.assertEqual(text.get_value_type(), GObject.TYPE_STRING)
        count.value = 2
        self.assertEqual(total.value, 6)
        self.assertEqual(text.get_string(), '2 items')
        # Writable (issue 21): an override until count changes.
        total.value = 1
        self.assertEqual(total.value, 1)
        count.value = 3
        self.assertEqual(total.value, 9)
        count.value = 2

        @g.derived(type=int)
        def double():
            return count.value * 2
        self.assertEqual(double.get_int(), 4)

    def test_python_object_derived_compares_with_eq(self):
        g = self.graph
        count = g.state(1)
        parity = g.derived(lambda: {'odd': count.value % 2 == 1})
        seen = []
        g.effect(lambda: seen.append(parity.value))
        g.flush()
        count.value = 3   # a new but equal dict: the effect does not rerun
        g.flush()
        count.value = 4
        g.flush()
        self.assertEqual(seen, [{'odd': True}, {'odd': False}])

    def test_effect_decorator_and_cleanup(self):
        g = self.graph
        count = g.state(1)
        log = []

        @g.effect
        def show():
            n = count.value
            log.append(('run', n))
            return lambda: log.append(('cleanup', n))

        self.assertIsInstance(show, Isle.Effect)
        self.assertEqual(show.get_name(), 'show')
        g.flush()
        count.value = 2
        g.flush()
        self.assertEqual(log, [('run', 1), ('cleanup', 1), ('run', 2)])
        show.dispose()
        self.assertEqual(log[-1], ('cleanup', 2))

    def test_effect_returning_a_non_callable_fails_that_run(self):
        g = self.graph
        effect = g.effect(lambda: 42)
        g.flush()
        self.assertIsNotNone(effect.get_error(), 'returning 42 is reported as that run failing')

    def test_batch_context_manager(self):
        g = self.graph
        count = g.state(0)
        seen = []
        g.effect(lambda: seen.append(count.value))
        g.flush()
        with g.batch():
            count.value = 1
            count.value = 2
            g.flush()
            self.assertEqual(seen, [0], 'no effect inside the batch')
        g.flush()
        self.assertEqual(seen, [0, 2])

        with self.assertRaises(ValueError):
            with g.batch():
                count.value = 3
                raise ValueError('left early')
        g.flush()
        self.assertEqual(seen, [0, 2, 3], 'a batch left by an exception still ends')
        self.assertEqual(g.batch(lambda x: x + 1, 1), 2)

    def test_untrack_returns_and_raises(self):
        g = self.graph
        a = g.state(1)
        b = g.state(10)
        seen = []
        g.effect(lambda: seen.append(a.value + g.untrack(lambda: b.value)))
        g.flush()
        b.value = 20
        g.flush()
        self.assertEqual(seen, [11], 'b was read untracked')
        a.value = 2
        g.flush()
        self.assertEqual(seen, [11, 22])
        with self.assertRaises(KeyError):
            g.untrack(lambda: {}['missing'])
        self.assertEqual(g.untrack(lambda x: x * 2, 4), 8)


class TestStores(unittest.TestCase):

    def setUp(self):
        self.registry = Isle.Registry.get_default()

    def test_atom_value(self):
        a = Isle.Atom.new_int('value', 1)
        self.assertEqual(a.value, 1)
        a.value = 3
        self.assertEqual(a.get_int(), 3)
        for bad in ('three', None, 2.5):
            with self.assertRaisesRegex(TypeError, "'value'"):
                a.value = bad
            self.assertEqual(a.get_int(), 3)
        with self.assertRaises(TypeError):
            a.set(GLib.Variant('s', 'x'))
        with self.assertRaises(TypeError):
            a.set_string('x')
        self.assertEqual(a.value, 3)
        a.set(4)
        self.assertEqual(a.value, 4)

    def test_filter_rejection_is_a_glib_error(self):
        a = Isle.Atom.new_int('filtered', 1)
        a.set_filter(lambda atom, value, old: None if value.unpack() < 0 else value)
        with self.assertRaises(GLib.Error):
            a.value = -1
        self.assertEqual(a.value, 1)

    def test_listeners_get_plain_values(self):
        a = Isle.Atom.new_string('word', 'a')
        heard = []
        unsubscribe = a.listen(lambda value, old: heard.append((value, old)))
        a.value = 'b'
        drain()
        self.assertEqual(heard, [('b', 'a')])
        self.assertIsInstance(unsubscribe, Subscription)
        unsubscribe()
        self.assertFalse(unsubscribe.active)
        unsubscribe()  # twice: nothing
        a.value = 'c'
        drain()
        self.assertEqual(heard, [('b', 'a')])
        self.assertEqual(a.get_n_listeners(), 0)

    def test_subscribe_calls_at_once_and_old_form_still_works(self):
        a = Isle.Atom.new_int('subscribed', 7)
        plain = []
        variants = []
        h1 = a.subscribe(lambda value, old: plain.append((value, old)))
        h2 = a.listen(lambda store, value, old: variants.append((store, value, old)))
        a.value = 8
        drain()
        self.assertEqual(plain, [(7, None), (8, 7)])
        self.assertIs(variants[0][0], a)
        self.assertIsInstance(variants[0][1], GLib.Variant)
        a.unsubscribe(h2)  # a handle is still the integer C returns
        h1()
        self.assertEqual(a.get_n_listeners(), 0)

    def test_handle_as_context_manager(self):
        a = Isle.Atom.new_int('scoped', 0)
        heard = []
        with a.listen(lambda value, old: heard.append(value)):
            a.value = 1
            drain()
            self.assertEqual(a.get_n_listeners(), 1)
        self.assertEqual(a.get_n_listeners(), 0)
        a.value = 2
        drain()
        self.assertEqual(heard, [1])
        with a.listen_int(lambda store, value, old: heard.append(('int', value))):
            a.value = 3
            drain()
        self.assertEqual(a.get_n_listeners(), 0)
        self.assertEqual(heard, [1, ('int', 3)])

    def test_listener_that_raises_is_reported_and_others_go_on(self):
        a = Isle.Atom.new_int('raising', 0)
        heard = []

        def bad(value, old):
            raise RuntimeError('boom')

        with a.listen(bad), a.listen(lambda value, old: heard.append(value)):
            stderr = sys.stderr
            import io
            sys.stderr = captured = io.StringIO()
            try:
                a.value = 1
                drain()
            finally:
                sys.stderr = stderr
        self.assertEqual(heard, [1])
        self.assertIn("listener of atom 'raising' raised", captured.getvalue())
        self.assertIn('RuntimeError: boom', captured.getvalue())
        a.value = 2
        self.assertEqual(a.value, 2)

    def test_isle_batch(self):
        a = Isle.Atom.new_int('batch-a', 0)
        b = Isle.Atom.new_int('batch-b', 0)
        heard = []
        with a.listen(lambda v, o: heard.append(('a', v, o))), \
                b.listen(lambda v, o: heard.append(('b', v, o))):
            with Isle.batch():
                a.value = 1
                a.value = 2
                b.value = 5
                drain()
                self.assertEqual(heard, [])
            drain()
            self.assertEqual(sorted(heard), [('a', 2, 0), ('b', 5, 0)])
            with self.assertRaises(KeyError):
                with Isle.batch():
                    a.value = 3
                    raise KeyError('x')
            drain()
            self.assertEqual(heard[-1], ('a', 3, 2))

    def test_map_as_mapping(self):
        m = Isle.Map.new('mapping', None)
        m['apple'] = 2
        m['name'] = 'pear'
        self.assertEqual(m['apple'], 2)
        self.assertIn('apple', m)
        self.assertNotIn('plum', m)
        self.assertEqual(len(m), 2)
        self.assertEqual(sorted(m), ['apple', 'name'])
        self.assertEqual(m.get('plum', 0), 0)
        with self.assertRaises(KeyError):
            m['plum']
        m['u'] = GLib.Variant('u', 3)
        m['u'] = 4   # the key keeps its type
        self.assertEqual(m.get_key('u').get_type_string(), 'u')
        with self.assertRaisesRegex(TypeError, "'apple'"):
            m['apple'] = 'two'
        self.assertEqual(m['apple'], 2)
        with self.assertRaises(TypeError):
            m['plum'] = object()
        del m['apple']
        self.assertNotIn('apple', m)
        with self.assertRaises(KeyError):
            del m['apple']
        m.value = {'a': 1}
        self.assertEqual(m.value, {'a': 1})

    def test_map_key_listeners_plain(self):
        m = Isle.Map.new('keyed', None)
        heard = []
        with m.listen_keys(['a'], lambda key, value, old: heard.append((key, value, old))):
            m['a'] = 1
            m['b'] = 1
            drain()
            del m['a']
            drain()
        self.assertEqual(heard, [('a', 1, None), ('a', None, 1)])

    def test_atom_from_the_registry(self):
        a = Isle.atom('py-registry-count', 0)
        self.assertIs(self.registry.lookup('py-registry-count'), a)
        self.assertIs(Isle.atom('py-registry-count', 5), a)
        self.assertEqual(a.value, 0)
        self.assertIs(Isle.lookup('py-registry-count'), a)
        with self.assertRaises(KeyError):
            Isle.lookup('py-no-such-store')
        with self.assertRaises(TypeError):
            Isle.atom('py-registry-count', 'text')
        d = Isle.atom('py-registry-big', 1, type='x')
        self.assertEqual(d.get_value_type().dup_string(), 'x')

    def test_computed_value_is_read_only(self):
        a = Isle.Atom.new_int('computed-src', 2)
        c = Isle.Computed.new('twice', GLib.VariantType('i'), [a], lambda values: values[0] * 2)
        heard = []
        with c.subscribe(lambda value, old: heard.append(value)):
            self.assertEqual(c.value, 4)
            with self.assertRaises(AttributeError):
                c.value = 1


Subscription = Isle.Subscription


@unittest.skipUnless(HAVE_DISPLAY, 'no display')
class TestIslands(unittest.TestCase):

    def setUp(self):
        self.cart = Isle.atom('py-overrides-cart', 0)
        self.cart.set_stop_delay(0)
        self.cart.value = 0

    def test_island_helpers(self):
        cart = self.cart

        class Badge(Isle.Island):
            __gtype_name__ = 'PyOverridesBadge'

            def do_setup(self):
                count = self.use_atom('py-overrides-cart')
                label = Gtk.Label()
                self.bind(self.derived(lambda: f'{count.value} in cart'), label, 'label')
                self.set_child(label)

        class Adder(Isle.Island):
            __gtype_name__ = 'PyOverridesAdder'

            def do_setup(self):
                step = self.state(2)
                button = Gtk.Button(label='Add')
                self.bind(step, button, 'label', lambda n: f'Add {n}')
                self.on(button, 'clicked', lambda: cart.add_int(step.value))
                self.set_child(button)

        window = Gtk.Window(title='overrides')
        box = Gtk.Box()
        badge = Badge()
        adder = Adder()
        box.append(badge)
        box.append(adder)
        window.set_child(box)
        window.present()
        label = badge.get_child()
        button = adder.get_child()
        self.assertTrue(run_until(lambda: label.get_label() == '0 in cart'), label.get_label())
        self.assertTrue(run_until(lambda: button.get_label() == 'Add 2'), button.get_label())
        button.emit('clicked')
        self.assertEqual(cart.value, 2)
        self.assertTrue(run_until(lambda: label.get_label() == '2 in cart'), label.get_label())
        cart.value = 7
        self.assertTrue(run_until(lambda: label.get_label() == '7 in cart'))
        self.assertGreater(cart.get_n_listeners(), 0)
        window.destroy()
        del badge, adder, box, label, button, window
        gc.collect()
        self.assertTrue(run_until(lambda: cart.get_n_listeners() == 0),
                        'the subscription goes with the island')

    def test_setup_that_raises_fails_the_island_alone(self):
        class Broken(Isle.Island):
            __gtype_name__ = 'PyOverridesBroken'

            def do_setup(self):
                self.set_child(Gtk.Label(label='half built'))
                raise ValueError('no such product')

        class Fine(Isle.Island):
            __gtype_name__ = 'PyOverridesFine'

            def do_setup(self):
                self.set_child(Gtk.Label(label='fine'))

        import io
        stderr, sys.stderr = sys.stderr, io.StringIO()
        try:
            broken = Broken()
            fine = Fine()
            printed = sys.stderr.getvalue()
        finally:
            sys.stderr = stderr
        self.assertEqual(broken.get_phase(), Isle.IslandPhase.FAILED)
        self.assertEqual(broken.get_error().message, 'ValueError: no such product')
        self.assertIn('the setup of Broken', printed)
        self.assertIn('ValueError: no such product', printed)
        self.assertEqual(fine.get_phase(), Isle.IslandPhase.ACTIVE)
        self.assertEqual(fine.get_child().get_label(), 'fine')

    def test_use_atom_unknown_name(self):
        raised = []

        class Missing(Isle.Island):
            __gtype_name__ = 'PyOverridesMissing'

            def do_setup(self):
                try:
                    self.use_atom('py-no-such-atom')
                except KeyError as e:
                    raised.append(e)
                self.set_child(Gtk.Label())

        island = Missing()
        self.assertEqual(len(raised), 1)
        self.assertIn('py-no-such-atom', str(raised[0]))
        del island


if __name__ == '__main__':
    unittest.main(verbosity=2)
