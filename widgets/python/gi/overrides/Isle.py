# Isle.py: the Pythonic layer of Isle, as gi.overrides.Isle
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# PyGObject loads this module in place of the bare typelib namespace, the
# way Gtk and GLib get theirs. It adds to the introspected API and changes
# none of it: code written against the typelib alone keeps working.

"""Pythonic additions to the Isle namespace (PyGObject overrides)."""

from gi.repository import GLib

from ..module import get_introspection_module
from ..overrides import override

Isle = get_introspection_module('Isle')

__all__ = []


def _type_string(value_type):
    if isinstance(value_type, GLib.VariantType):
        return value_type.dup_string()
    return str(value_type)


def _to_variant(value, type_string, what):
    """Returns @value as a GLib.Variant of @type_string: a plain Python
    value is packed (raising TypeError naming @what when it cannot be); a
    variant is passed on as it is, for the store to check as from C."""
    if isinstance(value, GLib.Variant):
        return value
    try:
        return GLib.Variant(type_string, value)
    except (TypeError, ValueError, OverflowError, KeyError) as e:
        raise TypeError('%s: %r is not a value of type %r (%s)'
                        % (what, value, type_string, e)) from None


class Computed(Isle.Computed):
    """A read-only store computed from other stores.

    Its function may return a plain Python value of the store's type
    (``lambda values: values[0] * 2``) or a ``GLib.Variant``; anything
    else raises ``TypeError`` naming the store, and the store keeps its
    last good value.
    """

    @classmethod
    def new(cls, name, value_type, sources, func, *user_data):
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


class Atom(Isle.Atom):
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


class Map(Isle.Map):
    """A store of string keys to values (an ``a{sv}`` dictionary)."""

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
                return GLib.Variant(_plain_type_string(result, 'map %r, key %r'
                                                       % (self.get_name(), k)), result)
            except Exception as e:  # re-raised below, in the caller's frame
                raised.append(e)
                return current

        changed = Isle.Map.update_key(self, key, compute, *user_data)
        if raised:
            raise raised[-1]
        return changed


def _plain_type_string(value, what):
    # bool before int: True is an int in Python.
    for python_type, type_string in ((bool, 'b'), (int, 'i'), (float, 'd'), (str, 's')):
        if isinstance(value, python_type):
            return type_string
    raise TypeError('%s: cannot tell the GVariant type of %r; return a GLib.Variant'
                    % (what, value))


Map = override(Map)
__all__.append('Map')
