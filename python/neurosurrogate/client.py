"""A thin client for the gateway's public gRPC API (neurosurrogate.v1.NeuroSurrogate)."""
import collections
import os
import queue

import grpc
import numpy as np

from . import _stubs


class NeuroSurrogateError(Exception):
    """A call the gateway answered with an error status: ``code`` (grpc.StatusCode) and ``details``."""

    def __init__(self, code, details):
        super().__init__("%s: %s" % (getattr(code, "name", code), details))
        self.code = code
        self.details = details

    @classmethod
    def of(cls, rpc_error):
        return cls(rpc_error.code(), rpc_error.details())


# Window prediction: spike_prob and soma_mv as float32 [neurons, time_ms]; spike_bins one array per neuron.
Prediction = collections.namedtuple("Prediction", "model version spike_prob soma_mv spike_bins")


def spike_table(spikes):
    """Input spikes as three arrays (neuron, synapse, time): from rows (neuron, synapse, time) -- a list
    of triples or an array of shape (k, 3) -- or from a tuple of three 1-D numpy arrays (columns)."""
    if spikes is None:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty
    if isinstance(spikes, tuple) and len(spikes) == 3 and all(isinstance(c, np.ndarray) and c.ndim == 1 for c in spikes):
        columns = [np.asarray(c, dtype=np.float64) for c in spikes]
        if not len(columns[0]) == len(columns[1]) == len(columns[2]):
            raise ValueError("spikes: the neuron, synapse and time arrays differ in length: %s"
                             % [len(c) for c in columns])
    else:
        rows = np.asarray(spikes, dtype=np.float64)
        if rows.size == 0:
            return spike_table(None)
        if rows.ndim != 2 or rows.shape[1] != 3:
            raise ValueError("spikes: expected rows (neuron, synapse, time_ms), shape (k, 3); got shape %s" % (rows.shape,))
        columns = [rows[:, 0], rows[:, 1], rows[:, 2]]
    indices = []
    for what, c in zip(("neuron", "synapse"), columns[:2]):
        as_int = c.astype(np.int64)
        bad = np.flatnonzero(as_int != c)
        if len(bad):
            raise ValueError("spikes: %s index %r (entry %d) is not an integer" % (what, c[bad[0]], bad[0]))
        indices.append(as_int)
    if not np.all(np.isfinite(columns[2])):
        raise ValueError("spikes: times must be finite")
    return indices[0], indices[1], columns[2]


def check_range(values, upper, what):
    """ValueError naming the first entry outside 0 .. upper-1."""
    bad = np.flatnonzero((values < 0) | (values >= upper))
    if len(bad):
        raise ValueError("spikes: %s index %d (entry %d) outside 0..%d" % (what, values[bad[0]], bad[0], upper - 1))


def packed_spikes(pb, count, steps, neurons, synapses, bins):
    """The PackedSpikes of a step request for neurons 0..count-1 over bins 0..steps-1: per [neuron][bin] the
    synapses that spiked, ascending, delta-coded (inference.proto); duplicates count once (inputs are 0/1)."""
    if not len(neurons):
        return pb.PackedSpikes()
    group = np.asarray(neurons, dtype=np.int64) * steps + np.asarray(bins, dtype=np.int64)
    keys = np.unique(np.stack([group, np.asarray(synapses, dtype=np.int64)], axis=1), axis=0)  # by group, then synapse
    counts = np.bincount(keys[:, 0], minlength=count * steps)
    deltas = np.diff(keys[:, 1], prepend=0)
    first = np.r_[True, keys[1:, 0] != keys[:-1, 0]]
    deltas[first] = keys[first, 1]
    return pb.PackedSpikes(counts=counts.tolist(), synapse_deltas=varints(deltas))


def varints(values):
    """Non-negative integers (< 2**32) as concatenated protobuf varints (unsigned LEB128), as bytes."""
    v = np.asarray(values, dtype=np.uint64)
    if v.size == 0:
        return b""
    sizes = 1 + sum((v >> np.uint64(7 * j)) > 0 for j in range(1, 5))  # bytes per value, 1..5
    groups = np.stack([(v >> np.uint64(7 * j)) & np.uint64(0x7F) for j in range(5)], axis=1)
    more = np.arange(5)[None, :] < (sizes[:, None] - 1)  # continuation bit on all but a value's last byte
    groups |= np.where(more, np.uint64(0x80), np.uint64(0))
    return groups[np.arange(5)[None, :] < sizes[:, None]].astype(np.uint8).tobytes()


class Client:
    """A channel to the gateway. ``api_key`` defaults to $NS_API_KEY (sent as ``authorization: Bearer``);
    ``tls_ca`` is a PEM file of the certificate(s) to trust (TLS), else the channel is plaintext."""

    def __init__(self, target, api_key=None, tls_ca=None, timeout_s=60.0):
        self.pb, pb_grpc = _stubs.load()
        key = os.environ.get("NS_API_KEY", "") if api_key is None else api_key
        self._metadata = (("authorization", "Bearer " + key),) if key else ()
        self.timeout_s = timeout_s
        options = [("grpc.max_receive_message_length", 64 << 20), ("grpc.max_send_message_length", 64 << 20)]
        if tls_ca:
            with open(tls_ca, "rb") as f:
                self._channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(f.read()), options=options)
        else:
            self._channel = grpc.insecure_channel(target, options=options)
        self.stub = pb_grpc.NeuroSurrogateStub(self._channel)

    def call(self, method, request):
        """A unary call with the key and the default deadline; errors as NeuroSurrogateError."""
        try:
            return getattr(self.stub, method)(request, metadata=self._metadata, timeout=self.timeout_s)
        except grpc.RpcError as e:
            raise NeuroSurrogateError.of(e) from None

    def list_models(self, model_name=""):
        """The stored versions (ModelVersion messages, with model cards), of one model or all."""
        return list(self.call("ListModels", self.pb.ListModelsRequest(model_name=model_name)).models)

    def model(self, name, version="latest"):
        """One ModelVersion (with its card): a version number, "latest" (or "") or "champion" (best test spike AUC loaded)."""
        versions = self.list_models(name)
        version = str(version)
        loaded = [v for v in versions if v.loaded]
        if version in ("", "latest"):  # as the servers read it: the highest loaded version (else the highest stored)
            picked = max(loaded or versions, key=lambda v: v.version, default=None)
        elif version == "champion":  # ties to the newer
            picked = max(loaded, key=lambda v: (v.card.metrics.spike_auc, v.version), default=None)
        else:
            picked = next((v for v in versions if str(v.version) == version), None)
        if picked is None:
            raise NeuroSurrogateError(grpc.StatusCode.NOT_FOUND, "no version %r of model %r" % (version, name))
        return picked

    def predict(self, model, n, time_ms, spikes=None, version="latest"):
        """Window prediction for ``n`` neurons over ``time_ms`` 1 ms bins from zero state; ``spikes`` as rows
        (neuron, synapse, time ms in [0, time_ms)) or a tuple of three columns (see SurrogatePopulation.advance)."""
        card = self.model(model, version).card
        synapses = card.n_exc + card.n_inh
        neurons, syn, times = spike_table(spikes)
        check_range(neurons, n, "neuron")
        check_range(syn, synapses, "synapse")
        bins = np.floor(times + 1e-6).astype(np.int64)
        check_range(bins, time_ms, "time bin")
        request = self.pb.PredictRequest(model_name=model, version=str(version), batch=n, synapses=synapses, time_ms=time_ms,
                                         packed=packed_spikes(self.pb, n, time_ms, neurons, syn, bins))
        r = self.call("Predict", request)
        return Prediction(r.model_name, r.version,
                          np.array([p.spike_prob for p in r.neurons], dtype=np.float32).reshape(n, time_ms),
                          np.array([p.soma_mv for p in r.neurons], dtype=np.float32).reshape(n, time_ms),
                          [np.array(p.spike_bins, dtype=np.int64) for p in r.neurons])

    def open_stream(self, model, version="latest", event_driven=False, precision="fp32"):
        """A bidirectional Stream call, opened (see inference.proto); used by SurrogatePopulation.

        precision "int8" runs the model's conv layers as int8 products: faster, approximate (its accuracy
        is in the model card's metrics, int8_*)."""
        return Stream(self, self.pb.StreamOpen(model_name=model, version=str(version), event_driven=event_driven,
                                               precision=precision))

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_NO_MORE = object()


class Stream:
    """One Stream call: requests go through a queue (sent as they come), responses are read in order."""

    def __init__(self, client, open_request):
        self._pb = client.pb
        self._requests = queue.Queue()
        self._call = client.stub.Stream(iter(self._requests.get, _NO_MORE), metadata=client._metadata)
        self._sent = 0
        self._received = 0
        self._closed = False
        self.opened = self.request(open=open_request).opened

    def send(self, **kind):
        self._sent += 1
        self._requests.put(self._pb.StreamRequest(request_id=self._sent, **kind))

    def receive(self):
        try:
            r = next(self._call)
        except grpc.RpcError as e:
            self.cancel()
            raise NeuroSurrogateError.of(e) from None
        except StopIteration:
            self.cancel()
            raise NeuroSurrogateError(grpc.StatusCode.UNKNOWN, "the stream ended before answering request %d" % (self._received + 1)) from None
        self._received += 1
        if r.request_id != self._received:
            self.cancel()
            raise NeuroSurrogateError(grpc.StatusCode.INTERNAL, "answer to request %d, expected %d" % (r.request_id, self._received))
        return r

    def request(self, **kind):
        self.send(**kind)
        return self.receive()

    @property
    def closed(self):
        return self._closed

    def cancel(self):
        if not self._closed:
            self._closed = True
            self._requests.put(_NO_MORE)
            self._call.cancel()

    def close(self):
        """Half-closes the call and waits for the server to finish it."""
        if self._closed:
            return
        self._closed = True
        self._requests.put(_NO_MORE)
        try:
            for _ in self._call:
                pass
        except grpc.RpcError as e:
            raise NeuroSurrogateError.of(e) from None
