"""Fanout: source spikes onto surrogate synapses.

Run: /usr/bin/python3 -m unittest discover -s python/tests
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from neurosurrogate.wiring import Fanout, synapse_slots  # noqa: E402


class FanoutTest(unittest.TestCase):
    def test_every_target_of_every_source_spike_gets_the_spike_time(self):
        neurons, synapses = synapse_slots(2, [0, 1, 5])
        self.assertEqual((neurons.tolist(), synapses.tolist()), ([0, 0, 0, 1, 1, 1], [0, 1, 5, 0, 1, 5]))
        fanout = Fanout(np.array([2, 0, 2, 1, 0, 2]), neurons, synapses, 4)
        got = fanout.targets([2, 3, 0, 2], [1.5, 2.0, 3.0, 4.5])
        rows = sorted(zip(*(a.tolist() for a in got)))
        self.assertEqual(rows, sorted([(0, 0, 1.5), (0, 5, 1.5), (1, 5, 1.5), (0, 1, 3.0), (1, 1, 3.0),
                                       (0, 0, 4.5), (0, 5, 4.5), (1, 5, 4.5)]))

    def test_random_wiring_gives_each_synapse_one_source(self):
        neurons, synapses = synapse_slots(10, range(100))
        fanout = Fanout.random(np.random.default_rng(3), neurons, synapses, 50)
        got = fanout.targets(np.arange(50), np.zeros(50))
        self.assertEqual(sorted(zip(got[0].tolist(), got[1].tolist())), sorted(zip(neurons.tolist(), synapses.tolist())))

    def test_no_spikes_no_targets(self):
        fanout = Fanout(np.array([0]), np.array([0]), np.array([0]), 1)
        self.assertEqual([len(a) for a in fanout.targets([], [])], [0, 0, 0])


if __name__ == "__main__":
    unittest.main()
