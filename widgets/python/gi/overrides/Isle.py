# Isle.py: the Pythonic layer of Isle, as gi.overrides.Isle
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# PyGObject loads this module in place of the bare typelib namespace, the
# way Gtk and GLib get theirs. It adds to the introspected API and changes
# none of it: code written against the typelib alone keeps working.

"""Pythonic additions to the Isle namespace (PyGObject overrides)."""

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

Isle = get_introspection_module('Isle')

__all__ = []


def _type_string(value_type):
    if isinstance(value_type, GLib.VariantType):
        return value_type.dup_string()
    return str(value_type)


_INTEGER_TYPE_STRINGS = frozenset('ynqiuxth')


def _to_variant(value, type_string, what):
    """Returns @value as a GLib.Variant of @type_string: a plain Python
    value is packed (raising TypeError naming @what when it cannot be); a
    variant is passed on as it is, for the store to check as from C."""
    if isinstance(value, GLib.Variant):
        return value
    # GLib.Variant() would take 2.5 or True for an "i" and "3" for nothing:
    # the basic types take only the Python type that holds them whole.
    if type_string in _INTEGER_TYPE_STRINGS:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif type_string == 'd':
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif type_string == 'b':
        ok = isinstance(value, bool)
    elif type_string in ('s', 'o', 'g'):
        ok = isinstance(value, str)
    else:
        ok = True
    if not ok:
        raise TypeError('%s: %r is not a value of type %r' % (what, value, type_string))
    try:
        return GLib.Variant(type_string, value)
    except (TypeError, ValueError, OverflowError, KeyError) as e:
        raise TypeError('%s: %r is not a value of type %r (%s)'
                        % (what, value, type_string, e)) from None


# ---------------------------------------------------------------------------
# Everything below: the Pythonic layer of issue 13 (values, decorators,
# context managers, plain-value listeners, handles, island helpers).

import inspect as _inspect
import sys as _sys
import traceback as _traceback



def _report(what):
    """Prints the exception being handled, saying which callback raised:
    the caller goes on (the other listeners still run)."""
    print('Isle: %s raised an exception; the others go on:' % what, file=_sys.stderr)
    _traceback.print_exc()


def _unpack(variant):
    return None if variant is None else variant.unpack()


def _positional_arity(func):
    """The number of required positional parameters of @func, or None when
    it cannot be told (a builtin, or *args)."""
    try:
        sig = _inspect.signature(func)
    except (TypeError, ValueError):
        return None
    n = 0
    for p in sig.parameters.values():
        if p.kind == p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty:
            n += 1
    return n


_SCALAR_GTYPES = (
    (bool, GObject.TYPE_BOOLEAN),
    (int, GObject.TYPE_INT),
    (float, GObject.TYPE_DOUBLE),
    (str, GObject.TYPE_STRING),
)


def _gtype_of(type_):
    """A GType from what a Python user writes for a type: ``int``, ``str``,
    ``float``, ``bool``, ``object`` (any Python object), a GObject class, a
    ``GObject.GType``, or a type name."""
    if isinstance(type_, GObject.GType):
        return type_
    if isinstance(type_, str):
        return GObject.type_from_name(type_)
    for python_type, gtype in _SCALAR_GTYPES:
        if type_ is python_type:
            return gtype
    if type_ is object:
        return GObject.TYPE_PYOBJECT
    gtype = getattr(type_, '__gtype__', None)
    if isinstance(gtype, GObject.GType):
        return gtype
    raise TypeError('%r is not a type Isle can hold: give int, float, bool, str, '
                    'object, a GObject class or a GObject.GType' % (type_,))


def _gtype_for_value(value):
    # bool before int: True is an int in Python.
    if isinstance(value, bool):
        return GObject.TYPE_BOOLEAN
    if isinstance(value, int):
        return GObject.TYPE_INT if -2**31 <= value < 2**31 else GObject.TYPE_INT64
    if isinstance(value, float):
        return GObject.TYPE_DOUBLE
    if isinstance(value, str):
        return GObject.TYPE_STRING
    if isinstance(value, GLib.Variant):
        return GObject.TYPE_VARIANT
    if isinstance(value, GObject.Object):
        return type(value).__gtype__
    if value is None:
        raise TypeError('cannot tell the type of None: pass type=, '
                        'e.g. graph.state(None, type=Gtk.Widget)')
    return GObject.TYPE_PYOBJECT


def _gvalue(gtype, value, what):
    """@value as a GObject.Value of @gtype, or TypeError naming @what."""
    if isinstance(value, GObject.Value):
        if value.g_type == gtype or GObject.type_is_a(value.g_type, gtype):
            return value
        raise TypeError('%s holds values of type %s, not %s'
                        % (what, gtype.name, value.g_type.name))
    if gtype == GObject.TYPE_PYOBJECT:
        return GObject.Value(gtype, value)
    if GObject.type_is_a(gtype, GObject.TYPE_OBJECT) and value is not None \
            and not (isinstance(value, GObject.Object) and GObject.type_is_a(type(value).__gtype__, gtype)):
        raise TypeError('%s holds values of type %s, not %r' % (what, gtype.name, value))
    if gtype == GObject.TYPE_BOOLEAN and not isinstance(value, (bool, int)):
        raise TypeError('%s holds values of type gboolean, not %r' % (what, value))
    if gtype in (GObject.TYPE_INT, GObject.TYPE_INT64, GObject.TYPE_UINT64) \
            and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError('%s holds values of type %s, not %r' % (what, gtype.name, value))
    try:
        return GObject.Value(gtype, value)
    except (TypeError, ValueError, OverflowError) as e:
        raise TypeError('%s holds values of type %s, not %r (%s)'
                        % (what, gtype.name, value, e)) from None


def _python_equal(a, b):
    # Python equality for nodes holding Python objects; `is` when == fails
    # or does not give a truth value (numpy arrays).
    try:
        return bool(a == b)
    except Exception:
        return a is b


def _node_what(kind, node):
    name = node.get_name()
    return '%s %r' % (kind, name) if name else 'unnamed %s' % kind


class _Context(object):
    """A context manager calling @begin on entry and @end on exit (also
    when the block raises), usable once or many times."""

    def __init__(self, begin, end):
        self._begin = begin
        self._end = end

    def __enter__(self):
        self._begin()
        return self

    def __exit__(self, *exc_info):
        self._end()
        return False


def _call_capturing(c_call, func, args):
    """Runs @c_call with a callback that calls ``func(*args)``; returns its
    result and re-raises its exception in the caller's frame (PyGObject
    would only print it)."""
    result = []
    raised = []

    def call(*_ignored):
        try:
            result.append(func(*args))
        except BaseException as e:  # re-raised below
            raised.append(e)

    c_call(call)
    if raised:
        raise raised[0]
    return result[0] if result else None


def batch(func=None, *args):
    """Defers every store listener until the outermost batch ends; each
    listener then hears once, with the final value and the one from before.

    As a context manager::

        with Isle.batch():
            a.value = 1
            b.value = 2

    or ``Isle.batch(func, *args)``, which returns what ``func`` returns and
    re-raises what it raises (the batch is ended either way)."""
    if func is None:
        return _Context(Isle.Store.batch_begin, Isle.Store.batch_end)
    Isle.Store.batch_begin()
    try:
        return func(*args)
    finally:
        Isle.Store.batch_end()


__all__.append('batch')


def atom(name, initial, type=None):
    """Returns the registry's atom @name, made with @initial if there is
    none yet. The GVariant type comes from @initial (``int`` → ``i``,
    ``float`` → ``d``, ``str`` → ``s``, ``bool`` → ``b``) or from @type, a
    GVariant type string such as ``'x'`` or ``'as'``. The same object C
    code gets from ``isle_registry_ensure_atom()``; an existing store of
    another type raises ``TypeError``."""
    if type is None:
        if isinstance(initial, GLib.Variant):
            type = initial.get_type_string()
        else:
            type = _plain_type_string(initial, 'atom %r' % name)
    variant = _to_variant(initial, type, 'atom %r' % name)
    registry = Isle.Registry.get_default()
    existing = registry.lookup(name)
    if existing is not None and (not isinstance(existing, Isle.Atom)
                                 or existing.get_value_type().dup_string() != type):
        raise TypeError('the registry\'s %r is a %s of type %r, not an atom of type %r'
                        % (name, existing.__gtype__.name,
                           existing.get_value_type().dup_string(), type))
    return registry.ensure_atom(name, GLib.VariantType.new(type), variant)


__all__.append('atom')


def lookup(name):
    """Returns the registry's store @name; ``KeyError`` if there is none."""
    store = Isle.Registry.get_default().lookup(name)
    if store is None:
        raise KeyError('the registry has no store named %r' % (name,))
    return store


__all__.append('lookup')


class Subscription(int):
    """The handle a listener's registration returns.

    Still the integer C returns (so ``store.unsubscribe(handle)`` works),
    and also callable and a context manager::

        unsubscribe = atom.listen(lambda value, old: print(value))
        unsubscribe()

        with atom.listen(show):
            ...            # listening only inside the block

    Unsubscribing twice does nothing."""

    def __new__(cls, store, handle):
        self = int.__new__(cls, handle)
        self._store = store
        return self

    @property
    def active(self):
        """Whether the listener is still registered through this handle."""
        return self._store is not None

    def unsubscribe(self):
        """Removes the listener (once; later calls do nothing)."""
        store, self._store = self._store, None
        if store is not None:
            Isle.Store.unsubscribe(store, int(self))

    __call__ = unsubscribe

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.unsubscribe()
        return False


__all__.append('Subscription')


class _StoreHelpers(object):
    """What every store gains: ``value``, plain-value listeners and
    :class:`Subscription` handles."""

    def _what(self):
        kind = self.__gtype__.name.replace('Isle', '').lower() or 'store'
        return '%s %r' % (kind, self.get_name())

    @property
    def value(self):
        """The store's value as a plain Python value (``variant.unpack()``);
        settable on atoms and maps, read-only on computed stores."""
        return _unpack(self.get_value())

    @value.setter
    def value(self, value):
        self._set_plain(value)

    def _set_plain(self, value):
        raise AttributeError('%s is read-only' % self._what())

    def _wrap_listener(self, listener, user_data, arity):
        """The (store, value, old) callback C calls for @listener: the
        given function itself (the introspected form, with variants) unless
        it takes exactly @arity-1 arguments, then plain values."""
        if user_data or _positional_arity(listener) != arity - 1:
            return listener
        what = 'a listener of %s' % self._what()

        def plain(store, *values):
            try:
                listener(*(_unpack(v) if isinstance(v, GLib.Variant) or v is None else v
                           for v in values))
            except Exception:
                _report(what)

        return plain

    def listen(self, listener, *user_data):
        """Calls @listener on every change (not at once). A function of two
        arguments gets plain values, ``listener(value, old)``; one of three
        the introspected form, ``listener(store, value, old)`` with
        ``GLib.Variant`` values. A listener that raises is reported on
        stderr and the others still run. Returns a :class:`Subscription`."""
        fn = self._wrap_listener(listener, user_data, 3)
        return Subscription(self, Isle.Store.listen(self, fn, *user_data))

    def subscribe(self, listener, *user_data):
        """As :meth:`listen`, and calls @listener at once with the current
        value (``old`` is then ``None``)."""
        fn = self._wrap_listener(listener, user_data, 3)
        return Subscription(self, Isle.Store.subscribe(self, fn, *user_data))


def _typed_listen(c_name):
    c_func = getattr(Isle.Store, c_name)

    def method(self, listener, *user_data):
        return Subscription(self, c_func(self, listener, *user_data))

    method.__name__ = c_name
    method.__doc__ = ('As the introspected ``%s``, returning a :class:`Subscription`.'
                      % c_name)
    return method


for _name in ('listen_boolean', 'listen_int', 'listen_int64', 'listen_double',
              'subscribe_boolean', 'subscribe_int', 'subscribe_int64', 'subscribe_double'):
    setattr(_StoreHelpers, _name, _typed_listen(_name))


def _bases(cls, *mixins):
    # The overridden Store is the base of Atom, Map and Computed when they
    # are first loaded after it; a mixin is listed only if it is missing.
    return tuple(m for m in mixins if not issubclass(cls, m)) + (cls,)


class Store(_StoreHelpers, Isle.Store):
    """The base of every store (atoms, maps, computed stores)."""

    @staticmethod
    def batch(func=None, *args):
        """As :func:`Isle.batch`."""
        return batch(func, *args)


Store = override(Store)
__all__.append('Store')


def _check_atom_type(atom, type_string, setter):
    atom_type = atom.get_value_type().dup_string()
    if atom_type != type_string:
        raise TypeError('%s holds values of type %r; %s() sets %r'
                        % (atom._what(), atom_type, setter, type_string))


def _typed_atom_setter(c_name, type_string):
    c_func = getattr(Isle.Atom, c_name)

    def method(self, value, *args):
        _check_atom_type(self, type_string, c_name)
        return c_func(self, value, *args)

    method.__name__ = c_name
    method.__doc__ = ('As the introspected ``%s``; ``TypeError`` (the atom '
                      'unchanged) if the atom does not hold %r.' % (c_name, type_string))
    return method


class _AtomHelpers(object):

    def _set_plain(self, value):
        variant = _to_variant(value, self.get_value_type().dup_string(), self._what())
        self.try_set(variant)

    def try_set(self, value):
        """Sets the atom to @value (a plain Python value of its type or a
        ``GLib.Variant``): ``TypeError`` for a plain value that does not
        fit, ``GLib.Error`` for a variant of another type or a value the
        filter rejects; the atom is unchanged then."""
        if value is None:
            raise TypeError('%s: None is not a value' % self._what())
        variant = _to_variant(value, self.get_value_type().dup_string(), self._what())
        return Isle.Atom.try_set(self, variant)

    def set(self, value):
        """Sets the atom to @value, a plain Python value of its type or a
        ``GLib.Variant``; a value of another type raises ``TypeError`` and
        leaves the atom unchanged."""
        type_string = self.get_value_type().dup_string()
        variant = _to_variant(value, type_string, self._what())
        if variant.get_type_string() != type_string:
            raise TypeError('%s holds values of type %r, not %r'
                            % (self._what(), type_string, variant.get_type_string()))
        Isle.Atom.set(self, variant)


for _name, _ts in (('set_boolean', 'b'), ('set_int', 'i'), ('set_int64', 'x'),
                            ('set_double', 'd'), ('set_string', 's'), ('add_int', 'i'),
                            ('add_int64', 'x'), ('add_double', 'd'), ('toggle', 'b')):
    if _name == 'toggle':
        def _toggle(self):
            _check_atom_type(self, 'b', 'toggle')
            return Isle.Atom.toggle(self)
        _toggle.__doc__ = 'As the introspected ``toggle``; ``TypeError`` if not a boolean atom.'
        _AtomHelpers.toggle = _toggle
    else:
        setattr(_AtomHelpers, _name, _typed_atom_setter(_name, _ts))


def _plain_type_string(value, what):
    # bool before int: True is an int in Python.
    for python_type, type_string in ((bool, 'b'), (int, 'i'), (float, 'd'), (str, 's')):
        if isinstance(value, python_type):
            return type_string
    raise TypeError('%s: cannot tell the GVariant type of %r; return a GLib.Variant'
                    % (what, value))


class Computed(*_bases(Isle.Computed, _StoreHelpers)):
    """A read-only store computed from other stores.

    Its function may return a plain Python value of the store's type
    (``lambda values: values[0] * 2``) or a ``GLib.Variant``; anything
    else raises ``TypeError`` naming the store, and the store keeps its
    last good value.
    """

    @classmethod
    def new(cls, name, value_type, sources, func, *user_data):
        """A computed store @name of @value_type from @sources: ``func(values,
        *user_data)`` gets the sources' values and returns the new value,
        plain or as a ``GLib.Variant``."""
        type_string = _type_string(value_type)
        what = 'computed store %r' % name

        def compute(values, *args):
            result = func(values, *args)
            if result is None:
                return None
            return _to_variant(result, type_string, what)

        return Isle.Computed.new(name, value_type, sources, compute, *user_data)


Computed = override(Computed)
__all__.append('Computed')


class Atom(*_bases(Isle.Atom, _StoreHelpers, _AtomHelpers)):
    """A store holding one value of a fixed type.

    The functions given to :meth:`update` and :meth:`set_filter` may
    return plain Python values of the atom's type as well as a
    ``GLib.Variant``.
    """

    def _what(self):
        return 'atom %r' % (self.get_name(),)

    def update(self, func, *user_data):
        """Sets the atom to ``func(atom, current)`` in one atomic step;
        ``func`` may run again if another thread changed the atom meanwhile,
        and may return a plain Python value of the atom's type. An exception
        raised by ``func`` (or a value that does not fit, as ``TypeError``)
        propagates and leaves the atom unchanged; a value the filter rejects
        raises ``GLib.Error``."""
        type_string = self.get_value_type().dup_string()
        what = self._what()
        raised = []

        def compute(atom, current, *args):
            try:
                result = func(atom, current, *args)
                return None if result is None else _to_variant(result, type_string, what)
            except Exception as e:  # re-raised below, in the caller's frame
                raised.append(e)
                return None

        changed = Isle.Atom.update(self, compute, *user_data)
        if raised:
            raise raised[-1]
        return changed

    def set_filter(self, func, *user_data):
        """Sets the filter every new value goes through; ``None`` removes it."""
        if func is None:
            return Isle.Atom.set_filter(self, None)
        type_string = self.get_value_type().dup_string()
        what = self._what() + "'s filter"

        def check(atom, value, old_value, *args):
            result = func(atom, value, old_value, *args)
            if result is None:
                return None
            return _to_variant(result, type_string, what)

        return Isle.Atom.set_filter(self, check, *user_data)


Atom = override(Atom)
__all__.append('Atom')


class Map(*_bases(Isle.Map, _StoreHelpers)):
    """A store of string keys to values (an ``a{sv}`` dictionary), also
    usable as a Python mapping: ``map["apple"]``, ``map["apple"] = 3``,
    ``del map["apple"]``, ``"apple" in map``, ``len(map)``, iteration over
    its keys. Values read are plain Python values."""

    def __getitem__(self, key):
        variant = self.get_key(key)
        if variant is None:
            raise KeyError(key)
        return variant.unpack()

    def get(self, key, default=None):
        """The plain value of @key, or @default if it is not set."""
        variant = self.get_key(key)
        return default if variant is None else variant.unpack()

    def _variant_for(self, key, value):
        if isinstance(value, GLib.Variant):
            return value
        what = '%s, key %r' % (self._what(), key)
        current = self.get_key(key)
        if current is not None:
            # A key keeps its type: 3 into a "u" line stays a "u".
            return _to_variant(value, current.get_type_string(), what)
        return GLib.Variant(_plain_type_string(value, what), value)

    def __setitem__(self, key, value):
        if value is None:
            raise TypeError('%s, key %r: None is not a value; use del to remove the key'
                            % (self._what(), key))
        self.set_key(key, self._variant_for(key, value))

    def __delitem__(self, key):
        if self.get_key(key) is None:
            raise KeyError(key)
        self.set_key(key, None)

    def __contains__(self, key):
        return self.get_key(key) is not None

    def __iter__(self):
        return iter(list(self.value.keys()))

    def __len__(self):
        return len(self.value)

    def keys(self):
        """The keys set now, as a list."""
        return list(self.value.keys())

    def items(self):
        """The (key, plain value) pairs now, as a list."""
        return list(self.value.items())

    def _set_plain(self, value):
        if isinstance(value, GLib.Variant):
            self.replace(value)
            return
        entries = {}
        for key, item in dict(value).items():
            if isinstance(item, GLib.Variant):
                entries[key] = item
            else:
                entries[key] = self._variant_for(key, item)
        self.replace(GLib.Variant('a{sv}', entries))

    def listen_keys(self, keys, listener, *user_data):
        """Calls @listener when one of @keys changes: a function of three
        arguments gets plain values, ``listener(key, value, old)`` (``None``
        for a key not set); one of four the introspected form
        ``listener(map, key, value, old)``. Returns a :class:`Subscription`."""
        fn = self._wrap_listener(listener, user_data, 4)
        return Subscription(self, Isle.Map.listen_keys(self, keys, fn, *user_data))

    def update_key(self, key, func, *user_data):
        """Sets ``key`` to ``func(map, key, current)`` in one atomic step
        (``current`` is ``None`` when the key is not set; returning ``None``
        removes it). The result may be a plain Python value: ints become
        ``i``, floats ``d``, strings ``s``, booleans ``b``; pass a
        ``GLib.Variant`` for any other type. An exception raised by ``func``
        propagates and leaves the key as it was. Returns whether the key
        changed."""

        raised = []

        def compute(map_, k, current, *args):
            try:
                result = func(map_, k, current, *args)
                if result is None or isinstance(result, GLib.Variant):
                    return result
                if current is not None:
                    return _to_variant(result, current.get_type_string(),
                                       'map %r, key %r' % (self.get_name(), k))
                return GLib.Variant(_plain_type_string(result, 'map %r, key %r'
                                                       % (self.get_name(), k)), result)
            except Exception as e:  # re-raised below, in the caller's frame
                raised.append(e)
                return current

        changed = Isle.Map.update_key(self, key, compute, *user_data)
        if raised:
            raise raised[-1]
        return changed


Map = override(Map)
__all__.append('Map')


# --- the signal graph ------------------------------------------------------

class _NodeHelpers(object):

    def _what(self):
        return _node_what(self._kind, self)

    @property
    def value(self):
        """The node's value as a Python value (reading it inside a derived
        or an effect makes it a dependency, as ``get_*()`` does)."""
        return self.get_value()


def _typed_state_setter(c_name, gtype):
    c_func = getattr(Isle.State, c_name)

    def method(self, value):
        value_type = self.get_value_type()
        if not (value_type == gtype or (gtype == GObject.TYPE_OBJECT
                                        and GObject.type_is_a(value_type, gtype))):
            raise TypeError('%s holds values of type %s; %s() sets %s'
                            % (self._what(), value_type.name, c_name, gtype.name))
        return c_func(self, value)

    method.__name__ = c_name
    method.__doc__ = ('As the introspected ``%s``; ``TypeError`` (the state '
                      'unchanged) if the state holds another type.' % c_name)
    return method


class State(_NodeHelpers, Isle.State):
    """A value in a graph. ``state.value`` reads and sets it; a value of
    the wrong type raises ``TypeError`` and leaves the state unchanged."""

    _kind = 'state'

    @_NodeHelpers.value.setter
    def value(self, value):
        self.set_value(value)

    def set_value(self, value):
        """Sets the state to @value (a Python value of its type, or a
        ``GObject.Value``); ``TypeError`` if it does not fit."""
        Isle.State.set_value(self, _gvalue(self.get_value_type(), value, self._what()))


for _name, _gtype in (('set_boolean', GObject.TYPE_BOOLEAN), ('set_int', GObject.TYPE_INT),
                      ('set_int64', GObject.TYPE_INT64), ('set_uint64', GObject.TYPE_UINT64),
                      ('set_double', GObject.TYPE_DOUBLE), ('set_string', GObject.TYPE_STRING),
                      ('set_object', GObject.TYPE_OBJECT), ('set_variant', GObject.TYPE_VARIANT)):
    setattr(State, _name, _typed_state_setter(_name, _gtype))

State = override(State)
__all__.append('State')


class Derived(_NodeHelpers, Isle.Derived):
    """A value computed from states and deriveds, lazily; ``derived.value``
    reads it (read-only)."""

    _kind = 'derived'

    @_NodeHelpers.value.setter
    def value(self, value):
        raise AttributeError('%s is read-only: it is computed' % self._what())


Derived = override(Derived)
__all__.append('Derived')


def _effect_function(func):
    """The EffectFunc for a Svelte-style @func: called with no arguments;
    a callable it returns is registered as the run's cleanup."""

    def run(effect, *_ignored):
        cleanup = func()
        if cleanup is not None:
            if not callable(cleanup):
                raise TypeError('an effect returned %r; return None or a cleanup callable'
                                % (cleanup,))
            effect.add_cleanup(cleanup)

    return run


def _derive_function(func, gtype, what):
    def compute(derived, *_ignored):
        return _gvalue(gtype, func(), what)

    return compute


def _new_state(graph, value, type_):
    gtype = _gtype_for_value(value) if type_ is None else _gtype_of(type_)
    what = 'a state of graph %r' % (graph.get_name(),)
    if gtype == GObject.TYPE_VARIANT:
        if value is not None and not isinstance(value, GLib.Variant):
            raise TypeError('%s holds GLib.Variant values, not %r' % (what, value))
        return Isle.State.new_variant(graph, value)
    if GObject.type_is_a(gtype, GObject.TYPE_OBJECT):
        _gvalue(gtype, value, what)  # the type check
        return Isle.State.new_object(graph, gtype, value)
    state = Isle.State.new_value(graph, _gvalue(gtype, value, what))
    if gtype == GObject.TYPE_PYOBJECT:
        state.set_equal_func(_python_equal)
    return state


def _new_derived(graph, func, type_):
    gtype = GObject.TYPE_PYOBJECT if type_ is None else _gtype_of(type_)
    name = getattr(func, '__name__', None)
    what = 'derived %r' % name if name and name != '<lambda>' else 'a derived'
    derived = Isle.Derived.new(graph, gtype, _derive_function(func, gtype, what))
    if name and name != '<lambda>':
        derived.set_name(name)
    if gtype == GObject.TYPE_PYOBJECT:
        derived.set_equal_func(_python_equal)
    return derived


def _new_effect(graph, func):
    effect = Isle.Effect.new(graph, _effect_function(func))
    name = getattr(func, '__name__', None)
    if name and name != '<lambda>':
        effect.set_name(name)
    return effect


class _GraphHelpers(object):
    """The short forms on a graph; an island has the same ones."""

    def _graph(self):
        return self

    def state(self, value, type=None):
        """A new state holding @value; its type is taken from the value
        (``int``, ``float``, ``str``, ``bool``, a ``GObject.Object``, a
        ``GLib.Variant``; any other Python object is held as it is and
        compared with ``==``), or given as @type (``int``, ``str``, a
        GObject class, a ``GObject.GType``) when it cannot be, e.g.
        ``graph.state(None, type=Gtk.Widget)``."""
        return _new_state(self._graph(), value, type)

    def derived(self, func=None, type=None):
        """A new derived computed by ``func()`` (no arguments). Usable as
        ``graph.derived(lambda: count.value * 3)`` or as a decorator,
        ``@graph.derived`` or ``@graph.derived(type=int)``. Without @type
        it holds any Python value, compared with ``==``; with one (``int``,
        ``str``, a GType) it can be bound to widget properties of that
        type directly. A function that raises keeps the last good value."""
        if func is None:
            return lambda f: _new_derived(self._graph(), f, type)
        return _new_derived(self._graph(), func, type)

    def effect(self, func):
        """A new effect running ``func()`` at the next flush and after any
        dependency changes; usable as a decorator (``@graph.effect``). A
        callable it returns is its cleanup, called before the next run and
        when the effect is disposed (as Svelte's ``$effect``). Returns the
        :class:`Isle.Effect`."""
        return _new_effect(self._graph(), func)

    def untrack(self, func, *args):
        """Calls ``func(*args)`` without making what it reads a dependency
        and returns its result (an exception it raises propagates)."""
        graph = self._graph()
        return _call_capturing(lambda cb: Isle.Graph.untrack(graph, cb), func, args)

    def batch(self, func=None, *args):
        """Defers effects until the outermost batch ends. As a context
        manager, ``with graph.batch(): ...``; or ``graph.batch(func,
        *args)``, which returns what ``func`` returns and re-raises what it
        raises (ending the batch either way)."""
        graph = self._graph()
        if func is None:
            return _Context(graph.batch_begin, graph.batch_end)
        graph.batch_begin()
        try:
            return func(*args)
        finally:
            graph.batch_end()


class Graph(_GraphHelpers, Isle.Graph):
    """An island's signal graph, with Python short forms: see
    :meth:`state`, :meth:`derived`, :meth:`effect`, :meth:`batch`,
    :meth:`untrack`."""


Graph = override(Graph)
__all__.append('Graph')


# --- islands ---------------------------------------------------------------

class Island(_GraphHelpers, Isle.Island):
    """An island, with short forms for its setup::

        class CartBadge(Isle.Island):
            def do_setup(self):
                count = self.use_atom("cart")
                label = Gtk.Label()
                self.bind(self.derived(lambda: f"{count.value} in cart"), label, "label")
                self.set_child(label)

    ``state``, ``derived``, ``effect``, ``batch`` and ``untrack`` work on
    the island's graph (as on :class:`Graph`)."""

    def __init_subclass__(cls, **kwargs):
        # A do_setup that raises puts the island in its error state with
        # the exception as the message (C sees none: PyGObject only prints
        # it), so a failing Python pane fails alone, visibly.
        super().__init_subclass__(**kwargs)
        setup = cls.__dict__.get('do_setup')
        if setup is None or getattr(setup, '_isle_guarded', False):
            return

        def do_setup(self):
            try:
                setup(self)
            except Exception as e:
                _report('the setup of %s %r' % (type(self).__name__, self.get_name()))
                self.fail('%s: %s' % (type(e).__name__, e))

        do_setup.__name__ = 'do_setup'
        do_setup.__doc__ = setup.__doc__
        do_setup._isle_guarded = True
        cls.do_setup = do_setup

    def _graph(self):
        return self.get_graph()

    def use_atom(self, store):
        """A state of this island mirroring @store (an atom, any store, or
        the name of one in the registry); the subscription goes with the
        island. ``KeyError`` for a name the registry does not know."""
        if isinstance(store, str):
            store = lookup(store)
        if isinstance(store, Isle.Atom):
            return Isle.Island.use_atom(self, store)
        return self.use_store(store)

    def bind(self, node, widget, prop, transform=None):
        """Keeps ``widget.prop`` equal to @node's value (a state or a
        derived), or to ``transform(value)``, for as long as the island
        lives. A derived holding Python objects is bound through its
        value as Python converts it."""
        if transform is None and node.get_value_type() == GObject.TYPE_PYOBJECT:
            transform = _identity
        if isinstance(node, Isle.Derived):
            return self.bind_derived(node, widget, prop, transform)
        if isinstance(node, Isle.State):
            return self.bind_state(node, widget, prop, transform)
        raise TypeError('bind() takes an Isle.State or an Isle.Derived, not %r' % (node,))

    def on(self, widget, signal, func, *args):
        """Calls ``func(*args)`` when @widget emits @signal, for as long as
        the island lives (the island owns the connection). Returns the
        handler id."""
        return self.connect_action(widget, signal, lambda island: func(*args))


def _identity(value):
    return value


Island = override(Island)
__all__.append('Island')


# ---------------------------------------------------------------------------
# Everything below: the engine half of issue 21 (writable deriveds, effect
# roots, Svelte's update helpers, nanostores' notify, readonlyType,
# keepMount and cleanStores). Added to the classes above, not edited into
# them, so that the sections stay apart.

def _derived_set_value(self, value):
    """Overrides the derived's value with @value (a Python value of its
    type, or a ``GObject.Value``) until one of its dependencies changes,
    then it recomputes: Svelte 5.25's writable ``$derived``. ``TypeError``
    (the derived unchanged) if the value does not fit."""
    Isle.Derived.set_value(self, _gvalue(self.get_value_type(), value, self._what()))


def _derived_value(self):
    """The derived's value as a Python value; settable (a writable
    derived)."""
    return self.get_value()


def _derived_value_set(self, value):
    _derived_set_value(self, value)


Derived.set_value = _derived_set_value
Derived.value = property(_derived_value, _derived_value_set, doc=(
    "The derived's value as a Python value: reading it inside a derived or "
    "an effect makes it a dependency; setting it overrides the value until "
    "a dependency changes (a writable derived, as in Svelte 5.25)."))


def _typed_derived_setter(c_name, gtype):
    c_func = getattr(Isle.Derived, c_name)

    def method(self, value):
        value_type = self.get_value_type()
        if not (value_type == gtype or (gtype == GObject.TYPE_OBJECT
                                        and GObject.type_is_a(value_type, gtype))):
            raise TypeError('%s holds values of type %s; %s() sets %s'
                            % (self._what(), value_type.name, c_name, gtype.name))
        return c_func(self, value)

    method.__name__ = c_name
    method.__doc__ = ('As the introspected ``%s`` (an override until a '
                      'dependency changes); ``TypeError`` (the derived '
                      'unchanged) if it holds another type.' % c_name)
    return method


for _name, _gtype in (('set_boolean', GObject.TYPE_BOOLEAN), ('set_int', GObject.TYPE_INT),
                      ('set_int64', GObject.TYPE_INT64), ('set_uint64', GObject.TYPE_UINT64),
                      ('set_double', GObject.TYPE_DOUBLE), ('set_string', GObject.TYPE_STRING),
                      ('set_object', GObject.TYPE_OBJECT), ('set_variant', GObject.TYPE_VARIANT)):
    setattr(Derived, _name, _typed_derived_setter(_name, _gtype))


_STATE_UPDATES = {
    GObject.TYPE_INT: ('update_int', 'update_pre_int'),
    GObject.TYPE_INT64: ('update_int64', 'update_pre_int64'),
    GObject.TYPE_DOUBLE: ('update_double', 'update_pre_double'),
}


def _state_update_func(self, pre):
    names = _STATE_UPDATES.get(self.get_value_type())
    if names is None:
        raise TypeError('%s holds values of type %s; update() adds to int, int64 '
                        'and double states' % (self._what(), self.get_value_type().name))
    return getattr(Isle.State, names[1 if pre else 0])


def _state_update(self, delta=1):
    """Adds @delta (1 by default) to a number state and returns the value
    it had before, as ``count++`` (Svelte's ``update``). The read does not
    make the state a dependency. ``TypeError`` for a state that does not
    hold an int, int64 or double."""
    return _state_update_func(self, False)(self, delta)


def _state_update_pre(self, delta=1):
    """As :meth:`update`, returning the new value, as ``++count``
    (Svelte's ``update_pre``)."""
    return _state_update_func(self, True)(self, delta)


State.update = _state_update
State.update_pre = _state_update_pre


def _new_effect_root(graph, func):
    root = Isle.Effect.new_root(graph, _effect_function(func))
    name = getattr(func, '__name__', None)
    if name and name != '<lambda>':
        root.set_name(name)
    return root


def _graph_effect_root(self, func):
    """A new effect root (Svelte's ``$effect.root``): runs ``func()`` at
    once, once, without tracking what it reads; the states, deriveds and
    effects it creates belong to the root, which belongs to no
    computation, so it survives the reruns of the derived or effect that
    created it. A callable ``func`` returns is the root's cleanup. Usable as
    a decorator (``@graph.effect_root``). Returns the :class:`Isle.Effect`;
    ``root.dispose()`` tears the tree down, children first."""
    return _new_effect_root(self._graph(), func)


_GraphHelpers.effect_root = _graph_effect_root


def _store_notify_listeners(self, key=None):
    """Tells the listeners that the value changed although it is the same
    (nanostores' ``notify``; named so as not to hide GObject's
    ``notify``): for a value mutated in place. On a map, @key limits it to
    that key's listeners (and the whole-map ones)."""
    Isle.Store.notify_listeners(self, key)


def _store_readonly(self, name=None):
    """A read-only view of the store (nanostores' ``readonlyType``): export
    or register the view, keep the writable store private. The view has
    the store's value and changes; setting it is refused."""
    return Isle.Store.create_readonly(self, name)


def _store_keep_mount(self):
    """Keeps the store started (nanostores' ``keepMount``): adds a
    listener that does nothing. Returns its :class:`Subscription`."""
    return Subscription(self, Isle.Store.keep_mount(self))


_StoreHelpers.notify_listeners = _store_notify_listeners
_StoreHelpers.readonly = _store_readonly
_StoreHelpers.keep_mount = _store_keep_mount


def clean_stores(*stores):
    """For tests, between two of them (nanostores' ``cleanStores``): cleans
    the given stores (their listeners removed, stopped at once, a computed
    store's cache forgotten), or, given none, empties the default registry
    and cleans every store it held."""
    if not stores:
        Isle.Registry.get_default().clean()
        return
    for store in stores:
        if store is not None:
            Isle.Store.clean(store)


__all__.append('clean_stores')
