#!/usr/bin/env python3
# tests/python/test_inspect.py: the introspection API from Python
#
# Copyright 2026 The Isle Developers
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A graph built from Python (Python callbacks), looked into from Python:
# the node list and its edges, the why of an effect after state → derived
# → derived → effect, the events an observer hears, in order, and none
# once it is removed; a store's listeners, started state and version.

import gc
import sys
import unittest

import gi

gi.require_version('GLib', '2.0')
gi.require_version('GObject', '2.0')
gi.require_version('Isle', '1')

from gi.repository import GLib, GObject, Isle  # noqa: E402


class Chain:
    """state “count” → derived “double” → derived “quad” → effect “log”."""

    def __init__(self, graph):
        self.seen = []
        self.count = Isle.State.new_int(graph, 1)
        self.count.set_name('count')
        self.double = Isle.Derived.new(graph, GObject.TYPE_INT,
                                       lambda d: 2 * self.count.get_int())
        self.double.set_name('double')
        self.quad = Isle.Derived.new(graph, GObject.TYPE_INT,
                                     lambda d: 2 * self.double.get_int())
        self.quad.set_name('quad')
        self.log = Isle.Effect.new(graph, lambda e: self.seen.append(self.quad.get_int()))
        self.log.set_name('log')
        graph.flush()


class TestInspect(unittest.TestCase):

    def setUp(self):
        self.graph = Isle.Graph.new()
        self.graph.set_name('py')
        self.handles = []

    def tearDown(self):
        for handle in self.handles:
            Isle.inspect_remove_observer(handle)
        self.graph.dispose_nodes()
        del self.graph
        gc.collect()

    def observe(self):
        events = []
        self.handles.append(Isle.inspect_add_observer(events.append))
        return events

    def test_nodes_and_edges(self):
        chain = Chain(self.graph)
        nodes = list(self.graph.inspect_nodes())
        self.assertEqual([n.get_label() for n in nodes],
                         ['state “count”', 'derived “double”', 'derived “quad”', 'effect “log”'])
        by_name = {n.get_name(): n for n in nodes}
        self.assertEqual([n.get_node_type() for n in nodes],
                         [Isle.NodeType.STATE, Isle.NodeType.DERIVED,
                          Isle.NodeType.DERIVED, Isle.NodeType.EFFECT])
        self.assertEqual(by_name['quad'].get_value_text(), '4')
        self.assertIsNone(by_name['log'].get_value_text())
        self.assertEqual(by_name['log'].get_run_count(), 1)
        ids = {name: n.get_id() for name, n in by_name.items()}
        self.assertEqual(list(by_name['double'].get_dependencies()), [ids['count']])
        self.assertEqual(list(by_name['double'].get_dependents()), [ids['quad']])
        self.assertEqual(list(by_name['log'].get_dependencies()), [ids['quad']])
        self.assertEqual(list(by_name['count'].get_dependencies()), [])
        self.assertEqual(by_name['log'].get_owner(), 0)
        self.assertEqual(chain.seen, [4])

    def test_why(self):
        chain = Chain(self.graph)
        self.observe()
        self.assertTrue(Isle.inspect_is_tracing())
        chain.count.set_int(2)
        self.graph.flush()
        self.assertEqual(chain.seen, [4, 8])
        info = Isle.NodeInfo.new_for_effect(chain.log)
        self.assertEqual(list(info.get_why()),
                         ['derived “quad”: 4 → 8', 'derived “double”: 2 → 4',
                          'state “count”: 1 → 2'])
        self.assertEqual(info.dup_why_text(),
                         'derived “quad”: 4 → 8 ← derived “double”: 2 → 4 ← state “count”: 1 → 2')

    def test_events_in_order(self):
        chain = Chain(self.graph)
        events = self.observe()
        chain.count.set_int(3)
        self.graph.flush()
        self.assertEqual([e.to_string() for e in events], [
            'state “count” in graph “py”: 1 → 3',
            'derived “double” in graph “py”: 2 → 6, because state “count”: 1 → 3',
            'derived “quad” in graph “py”: 4 → 12, because derived “double”: 2 → 6 '
            '← state “count”: 1 → 3',
            'effect “log” in graph “py” runs because derived “quad”: 4 → 12 '
            '← derived “double”: 2 → 6 ← state “count”: 1 → 3',
        ])
        self.assertEqual([e.get_kind() for e in events], [
            Isle.InspectEventKind.STATE_CHANGED, Isle.InspectEventKind.DERIVED_CHANGED,
            Isle.InspectEventKind.DERIVED_CHANGED, Isle.InspectEventKind.EFFECT_RAN])
        sequences = [e.get_sequence() for e in events]
        self.assertEqual(sequences, sorted(sequences))
        self.assertEqual(len(set(sequences)), len(sequences))
        self.assertEqual(events[0].get_old_value(), '1')
        self.assertEqual(events[0].get_new_value(), '3')
        self.assertEqual(events[3].get_why()[-1], 'state “count”: 1 → 3')

    def test_no_event_once_removed(self):
        chain = Chain(self.graph)
        events = []
        handle = Isle.inspect_add_observer(events.append)
        chain.count.set_int(5)
        Isle.inspect_remove_observer(handle)
        self.assertEqual(len(events), 1)
        self.assertFalse(Isle.inspect_is_tracing())
        chain.count.set_int(6)
        self.graph.flush()
        self.assertEqual(len(events), 1)
        self.assertEqual(chain.seen, [4, 24])
        self.assertFalse(Isle.NodeInfo.new_for_effect(chain.log).get_why())

    def test_store(self):
        events = self.observe()
        atom = Isle.Atom.new_int('py-inspected', 1)
        self.assertEqual(atom.get_n_listeners(), 0)
        self.assertFalse(atom.get_started())
        handle = atom.listen(lambda store, value, old: None)
        self.assertEqual(atom.get_n_listeners(), 1)
        self.assertTrue(atom.get_started())
        version = atom.get_version()
        atom.set_int(7)
        self.assertGreater(atom.get_version(), version)
        changed = [e for e in events if e.get_kind() == Isle.InspectEventKind.STORE_CHANGED]
        self.assertEqual(len(changed), 1)
        self.assertEqual(changed[0].get_store(), atom)
        self.assertEqual(changed[0].to_string(), 'store “py-inspected”: 1 → 7')
        atom.unsubscribe(handle)


if __name__ == '__main__':
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
