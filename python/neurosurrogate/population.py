"""N surrogate neurons of one model version, advanced in lock-step with a host simulator."""
import numpy as np

from .client import NeuroSurrogateError, check_range, packed_spikes, spike_table

MAX_STEPS_PER_REQUEST = 1000  # the gateway's ns.gateway.stream.max-steps-per-request
_TOLERANCE = 1e-6  # of a bin: float times from a host simulator (4.9999999 ms) still land in the right bin


class SurrogatePopulation:
    """``n`` surrogate neurons (sequences of the gateway's Stream call), advanced window by window.

    A host simulator calls ``advance(until_ms, spikes)`` once per min-delay window with the input spikes
    of that window and gets the output spikes of the same window: a surrogate spike can reach the host
    network no earlier than the next window, so host synapses from surrogates need a delay of at least
    the window length. Bins are the model's 1 ms steps; the population starts at 0 ms with zero state.
    Neurons are spread over several streams when ``n`` exceeds a stream's max_sequences, and long
    windows are split into requests of at most ``max_steps_per_request`` steps.
    """

    def __init__(self, client, model, version="latest", n=1, event_driven=False,
                 max_steps_per_request=MAX_STEPS_PER_REQUEST, precision="fp32"):
        if n < 1:
            raise ValueError("n = %d: a population needs at least one neuron" % n)
        if max_steps_per_request < 1:
            raise ValueError("max_steps_per_request must be >= 1")
        self._pb = client.pb
        self.n = n
        self.now_ms = 0.0
        self.dt_ms = 1.0
        self._max_steps = max_steps_per_request
        self._streams = []  # (stream, first neuron, neuron count)
        try:
            first = client.open_stream(model, version, event_driven, precision)
            opened = first.opened
            per_stream = max(1, opened.max_sequences)
            for lo in range(0, n, per_stream):
                # Later streams name the version the first one resolved ("latest" could move meanwhile).
                stream = first if lo == 0 else client.open_stream(model, opened.version, event_driven, precision)
                self._streams.append((stream, lo, min(per_stream, n - lo)))
            for stream, lo, count in self._streams:
                stream.send(start=client.pb.StreamStart(sequence_ids=range(lo, lo + count)))
            for stream, _, _ in self._streams:
                stream.receive()
            self.card = client.model(model, opened.version).card
            if self.card.dt_ms not in (0.0, 1.0):
                raise ValueError("model %s has dt_ms = %g; this client steps in 1 ms bins" % (model, self.card.dt_ms))
        except BaseException:
            self._abort()
            raise
        self.opened = opened
        self.model = opened.model_name
        self.version = opened.version
        self.synapses = opened.synapses
        self.spike_threshold = opened.spike_threshold

    @property
    def n_exc(self):
        """Excitatory synapses: indices 0 .. n_exc-1; inhibitory ones follow."""
        return self.card.n_exc

    @property
    def n_inh(self):
        return self.card.n_inh

    def _bin(self, t_ms, what):
        b = round(t_ms / self.dt_ms)
        if abs(t_ms / self.dt_ms - b) > _TOLERANCE:
            raise ValueError("%s = %r ms is not a multiple of the model's %g ms step" % (what, t_ms, self.dt_ms))
        return int(b)

    def advance(self, until_ms, spikes=None, record_voltage=False):
        """Advances every neuron from ``now_ms`` to ``until_ms`` (a multiple of 1 ms).

        ``spikes``: the input spikes with times in [now_ms, until_ms), as rows (neuron index, synapse
        index, time ms) -- a list of triples or an array of shape (k, 3) -- or as a tuple of three 1-D
        numpy arrays (neurons, synapses, times). Synapse indices follow the model card: excitatory
        0 .. n_exc-1, then inhibitory. A spike counts in the 1 ms bin that holds its time.
        Returns the output spikes in the window as (neuron indices, times ms), sorted by time then
        neuron, a spike's time being the start of its bin; with ``record_voltage=True`` also the soma
        voltage in mV as an array [n, steps].
        """
        t0 = self._bin(self.now_ms, "now_ms")
        t1 = self._bin(until_ms, "until_ms")
        if t1 < t0:
            raise ValueError("until_ms = %g ms is before now_ms = %g ms" % (until_ms, self.now_ms))
        if not self._streams:
            raise ValueError("the population is closed")
        neurons, synapses, times = spike_table(spikes)
        check_range(neurons, self.n, "neuron")
        check_range(synapses, self.synapses, "synapse")
        bins = np.floor(times / self.dt_ms + _TOLERANCE).astype(np.int64)
        outside = np.flatnonzero((bins < t0) | (bins >= t1))
        if len(outside):
            raise ValueError("spikes: time %r ms (entry %d) outside the window [%g, %g) ms"
                             % (times[outside[0]], outside[0], self.now_ms, until_ms))
        steps = t1 - t0
        voltage = np.zeros((self.n, steps), dtype=np.float32) if record_voltage else None
        out_neurons, out_bins = [], []
        pending = []
        for stream, lo, count in self._streams:  # all requests first: the streams work in parallel
            mine = (neurons >= lo) & (neurons < lo + count)
            for p0 in range(t0, t1, self._max_steps):
                p1 = min(p0 + self._max_steps, t1)
                sel = np.flatnonzero(mine & (bins >= p0) & (bins < p1))
                packed = packed_spikes(self._pb, count, p1 - p0, neurons[sel] - lo, synapses[sel], bins[sel] - p0)
                stream.send(step=self._pb.StreamStep(sequence_ids=range(lo, lo + count), steps=p1 - p0, packed=packed))
                pending.append((stream, lo, count, p0, p1))
        for stream, lo, count, p0, p1 in pending:
            r = stream.receive().step
            out_neurons.append(np.repeat(np.arange(lo, lo + count), r.spike_counts))
            out_bins.append(np.asarray(r.spike_steps, dtype=np.int64) + p0)
            if voltage is not None:
                voltage[lo:lo + count, p0 - t0:p1 - t0] = np.asarray(r.soma_mv, dtype=np.float32).reshape(count, p1 - p0)
        self.now_ms = t1 * self.dt_ms
        idx = np.concatenate(out_neurons) if out_neurons else np.zeros(0, dtype=np.int64)
        at = np.concatenate(out_bins) if out_bins else np.zeros(0, dtype=np.int64)
        order = np.lexsort((idx, at))
        result = (idx[order], at[order] * self.dt_ms)
        return result + (voltage,) if record_voltage else result

    def close(self):
        """Ends the sequences and the Stream calls; raises the first error after trying them all."""
        streams, self._streams = self._streams, []
        failure = None
        for stream, lo, count in streams:
            if stream.closed:  # failed earlier
                continue
            try:
                stream.request(end=self._pb.StreamEnd(sequence_ids=range(lo, lo + count)))
                stream.close()
            except NeuroSurrogateError as e:
                stream.cancel()
                failure = failure or e
        if failure is not None:
            raise failure

    def _abort(self):
        streams, self._streams = self._streams, []
        for stream, _, _ in streams:
            stream.cancel()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.close()
        else:  # keep the original error
            try:
                self.close()
            except NeuroSurrogateError:
                pass
