"""Connectivity from a host simulator's neurons onto surrogate synapses."""
import numpy as np


def synapse_slots(n, synapses):
    """Every (surrogate neuron, synapse) pair of ``n`` neurons and the given synapse indices, as two arrays."""
    synapses = np.asarray(synapses, dtype=np.int64)
    return np.repeat(np.arange(n, dtype=np.int64), len(synapses)), np.tile(synapses, n)


class Fanout:
    """Source neuron -> the (surrogate neuron, synapse) pairs it feeds, stored as index arrays (CSR)."""

    def __init__(self, sources, neurons, synapses, n_sources):
        order = np.argsort(sources, kind="stable")
        self.neurons = np.asarray(neurons, dtype=np.int64)[order]
        self.synapses = np.asarray(synapses, dtype=np.int64)[order]
        self.counts = np.bincount(sources, minlength=n_sources)
        self.offsets = np.cumsum(self.counts) - self.counts

    @classmethod
    def random(cls, rng, neurons, synapses, n_sources):
        """One source drawn uniformly from 0 .. n_sources-1 for every given (neuron, synapse) pair."""
        return cls(rng.integers(0, n_sources, len(neurons)), neurons, synapses, n_sources)

    def targets(self, source_spikes, times_ms):
        """Input spikes (surrogate neurons, synapses, times ms) for the spikes of the given sources."""
        source_spikes = np.asarray(source_spikes, dtype=np.int64)
        counts = self.counts[source_spikes]
        spike = np.repeat(np.arange(len(source_spikes)), counts)
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        k = np.repeat(self.offsets[source_spikes], counts) + within
        return self.neurons[k], self.synapses[k], np.asarray(times_ms, dtype=np.float64)[spike]
