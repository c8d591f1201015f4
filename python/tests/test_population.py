"""SurrogatePopulation against an in-process fake gateway (real gRPC, a toy stateful model).

Run: /usr/bin/python3 -m unittest discover -s python/tests
"""
import os
import sys
import unittest
from concurrent import futures

import grpc
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from neurosurrogate import Client, NeuroSurrogateError, SurrogatePopulation  # noqa: E402
from neurosurrogate import _stubs  # noqa: E402
from neurosurrogate.client import packed_spikes, varints  # noqa: E402

pb, pb_grpc = _stubs.load()
N_EXC, N_INH, MAX_SEQUENCES, MAX_STEPS = 4, 2, 3, 7


def decode_packed(packed, rows, bins):
    """(row, bin, synapse) of every spike in a PackedSpikes, decoded as inference.proto describes it."""
    if not packed.counts:
        return []
    deltas, value, shift = [], 0, 0
    for byte in packed.synapse_deltas:  # varints
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            deltas.append(value)
            value, shift = 0, 0
    assert shift == 0 and len(deltas) == sum(packed.counts) and len(packed.counts) == rows * bins
    out, at = [], 0
    for group, count in enumerate(packed.counts):
        synapse = None
        for _ in range(count):
            d = deltas[at]
            assert synapse is None or d >= 1, "ascending"
            synapse = d if synapse is None else synapse + d
            out.append((group // bins, group % bins, synapse))
            at += 1
    return out


def unpack(step, row):
    """(bin, synapse) of sequence ``row`` of a step request."""
    if step.inputs:
        raise AssertionError("the population sends packed spikes, not inputs")
    return [(b, s) for r, b, s in decode_packed(step.packed, len(step.sequence_ids), step.steps) if r == row]


class ToyGateway(pb_grpc.NeuroSurrogateServicer):
    """Model "toy" version 2: a neuron's state is its running count of excitatory minus inhibitory input
    spikes; it spikes in every step whose count reaches a new multiple of 3. Stateful across requests, so
    chunking must not change the outputs."""

    def __init__(self):
        self.open_sequences = {}
        self.requests = []
        self.finished_calls = 0

    def ListModels(self, request, context):
        card = pb.ModelCard(neuron_model="toy", dt_ms=1.0, n_exc=N_EXC, n_inh=N_INH)
        return pb.ListModelsResponse(models=[pb.ModelVersion(model_name="toy", version=v, card=card) for v in (1, 2)])

    def Predict(self, request, context):
        """Window "prediction": soma_mv = the neuron's input spikes per bin; requires the packed form."""
        if request.sparse or request.dense_spikes:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "expected packed spikes")
        counts = np.zeros((request.batch, request.time_ms))
        for row, b, _ in decode_packed(request.packed, request.batch, request.time_ms):
            counts[row, b] += 1
        return pb.PredictResponse(model_name=request.model_name, version=2, neurons=[
            pb.NeuronPrediction(spike_prob=np.zeros(request.time_ms).tolist(), soma_mv=c.tolist()) for c in counts])

    def Stream(self, request_iterator, context):
        mine = {}
        for r in request_iterator:
            self.requests.append(r)
            kind = r.WhichOneof("kind")
            if kind == "open":
                if r.open.model_name != "toy":
                    context.abort(grpc.StatusCode.NOT_FOUND, "no model " + r.open.model_name)
                yield pb.StreamResponse(request_id=r.request_id, opened=pb.StreamOpened(
                    model_name="toy", version=2, synapses=N_EXC + N_INH, spike_threshold=0.5, max_sequences=MAX_SEQUENCES))
            elif kind == "start":
                if len(mine) + len(r.start.sequence_ids) > MAX_SEQUENCES:
                    context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED, "past max_sequences")
                for s in r.start.sequence_ids:
                    mine[s] = [0, 0]  # count, highest multiple reached
                yield pb.StreamResponse(request_id=r.request_id, started=pb.StreamStarted(open_sequences=len(mine)))
            elif kind == "step":
                yield pb.StreamResponse(request_id=r.request_id, step=self.step(r.step, mine, context))
            else:
                for s in r.end.sequence_ids:
                    del mine[s]
                yield pb.StreamResponse(request_id=r.request_id, ended=pb.StreamEnded(open_sequences=len(mine)))
            self.open_sequences[id(mine)] = len(mine)
        self.finished_calls += 1

    @staticmethod
    def step(s, mine, context):
        if not 1 <= s.steps <= MAX_STEPS:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "steps = %d outside 1..%d" % (s.steps, MAX_STEPS))
        out = pb.StreamStepResult(sequence_ids=s.sequence_ids, steps=s.steps)
        for i, seq in enumerate(s.sequence_ids):
            delta = np.zeros(s.steps, dtype=int)
            for b, synapse in unpack(s, i):
                delta[b] += 1 if synapse < N_EXC else -1
            state, spikes = mine[seq], []
            for b in range(s.steps):
                state[0] += delta[b]
                if state[0] // 3 > state[1]:
                    state[1] = state[0] // 3
                    spikes.append(b)
                out.soma_mv.append(float(state[0]))
                out.spike_prob.append(1.0 if spikes and spikes[-1] == b else 0.0)
            out.spike_steps.extend(spikes)
            out.spike_counts.append(len(spikes))
        return out


class SurrogatePopulationTest(unittest.TestCase):
    def setUp(self):
        self.gateway = ToyGateway()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
        pb_grpc.add_NeuroSurrogateServicer_to_server(self.gateway, self.server)
        port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.client = Client("127.0.0.1:%d" % port, api_key="")

    def tearDown(self):
        self.client.close()
        self.server.stop(None)

    def population(self, n=8):
        return SurrogatePopulation(self.client, "toy", n=n, max_steps_per_request=MAX_STEPS)

    def random_input(self, n, t_ms, seed):
        rng = np.random.default_rng(seed)
        k = 40 * n
        return np.column_stack([rng.integers(0, n, k), rng.integers(0, N_EXC + N_INH, k), rng.uniform(0, t_ms, k)])

    def test_chunked_advance_equals_one_long_window(self):
        spikes = self.random_input(8, 40, 1)
        with self.population() as whole:
            i_all, t_all, v_all = whole.advance(40, spikes, record_voltage=True)
        got_i, got_t, got_v = [], [], []
        with self.population() as chunked:
            for t in range(5, 45, 5):
                window = spikes[(spikes[:, 2] >= t - 5) & (spikes[:, 2] < t)]
                i, times, v = chunked.advance(t, window, record_voltage=True)
                self.assertTrue(np.all((times >= t - 5) & (times < t)))
                got_i.append(i), got_t.append(times), got_v.append(v)
        self.assertGreater(len(i_all), 10)
        np.testing.assert_array_equal(np.concatenate(got_i), i_all)
        np.testing.assert_array_equal(np.concatenate(got_t), t_all)
        np.testing.assert_array_equal(np.concatenate(got_v, axis=1), v_all)
        self.assertEqual(v_all.shape, (8, 40))

    def test_spreads_neurons_over_streams_and_windows_over_requests(self):
        with self.population(n=8) as pop:
            self.assertEqual((pop.version, pop.synapses, pop.n_exc, pop.n_inh), (2, 6, N_EXC, N_INH))
            pop.advance(20, [(7, 0, 19.5)])
        opens = [r.open for r in self.gateway.requests if r.WhichOneof("kind") == "open"]
        self.assertEqual(len(opens), 3)  # 8 neurons, 3 per stream
        self.assertEqual([o.version for o in opens], ["latest", "2", "2"])
        steps = [r.step.steps for r in self.gateway.requests if r.WhichOneof("kind") == "step"]
        self.assertEqual(sorted(steps), [6, 6, 6, 7, 7, 7, 7, 7, 7])
        self.assertEqual(list(self.gateway.open_sequences.values()), [0, 0, 0])
        self.assertEqual(self.gateway.finished_calls, 3)

    def test_columns_and_rows_give_the_same_spikes(self):
        spikes = self.random_input(4, 30, 2)
        with self.population(n=4) as a, self.population(n=4) as b:
            rows = a.advance(30, spikes.tolist())
            columns = b.advance(30, (spikes[:, 0].astype(int), spikes[:, 1].astype(int), spikes[:, 2]))
        for x, y in zip(rows, columns):
            np.testing.assert_array_equal(x, y)

    def test_float_times_from_a_host_simulator_land_in_the_right_bin(self):
        with self.population(n=1) as pop:
            i, t = pop.advance(5.000000001, [(0, 0, 2.9999999999), (0, 0, 1), (0, 0, 2)])
            self.assertEqual((list(i), list(t)), ([0], [3.0]))
            self.assertEqual(pop.now_ms, 5.0)
            with self.assertRaisesRegex(ValueError, "outside the window"):  # that is 10 ms: the next window's
                pop.advance(10, [(0, 0, 9.9999999999)])

    def test_bad_input_is_a_value_error_naming_it(self):
        with self.population(n=2) as pop:
            pop.advance(5)
            for spikes, message in (([(0, 6, 5)], "synapse index 6"), ([(2, 0, 5)], "neuron index 2"),
                                    ([(0, 0, 4.5)], "outside the window"), ([(0, 0, 10)], "outside the window"),
                                    ([(0.5, 0, 5)], "not an integer"), ([(0, 0)], "shape")):
                with self.assertRaisesRegex(ValueError, message):
                    pop.advance(10, spikes)
            with self.assertRaisesRegex(ValueError, "before now_ms"):
                pop.advance(4)
            with self.assertRaisesRegex(ValueError, "multiple"):
                pop.advance(7.5)
            self.assertEqual(pop.now_ms, 5.0)

    def test_packed_spikes_follow_the_proto_example(self):
        # inference.proto: neuron 0 spikes on synapses 7 and 3 in bin 1 (given out of order, 7 twice), neuron 1 on 5 in bin 0
        p = packed_spikes(pb, 2, 2, np.array([0, 0, 1, 0]), np.array([7, 3, 5, 7]), np.array([1, 1, 0, 1]))
        self.assertEqual((list(p.counts), p.synapse_deltas), ([0, 2, 1, 0], bytes([3, 4, 5])))
        self.assertEqual(packed_spikes(pb, 1, 1, [0, 0, 0], [300, 301, 301 + 16384], [0, 0, 0]).synapse_deltas,
                         bytes([0xAC, 0x02, 0x01, 0x80, 0x80, 0x01]))  # 300 alone is 0xAC 0x02 (inference.proto)
        self.assertEqual(varints([0, 127, 128, 2**32 - 1]), bytes([0, 0x7F, 0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]))
        self.assertEqual(packed_spikes(pb, 2, 2, np.zeros(0), np.zeros(0), np.zeros(0)), pb.PackedSpikes())

    def test_predict_sends_packed_spikes_that_land_on_their_neuron_and_bin(self):
        # (neuron, synapse, time ms); the repeated (1, 4, bin 0) counts once, as in the dense form
        p = self.client.predict("toy", 2, 5, [(0, 1, 2.5), (1, 4, 0.0), (1, 4, 0.2), (0, 0, 4.0), (0, 5, 4.9)])
        expected = np.zeros((2, 5), dtype=np.float32)
        expected[0, 2], expected[0, 4], expected[1, 0] = 1, 2, 1
        np.testing.assert_array_equal(p.soma_mv, expected)

    def test_grpc_errors_surface_with_status_and_message(self):
        with self.assertRaises(NeuroSurrogateError) as e:
            SurrogatePopulation(self.client, "nope", n=2)
        self.assertEqual(e.exception.code, grpc.StatusCode.NOT_FOUND)
        self.assertIn("no model nope", str(e.exception))
        with self.population(n=2) as pop:  # a request the server refuses ends the stream with its status
            pop._max_steps = MAX_STEPS + 1
            with self.assertRaisesRegex(NeuroSurrogateError, "INVALID_ARGUMENT: steps = 8"):
                pop.advance(8)


if __name__ == "__main__":
    unittest.main()
