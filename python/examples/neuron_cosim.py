#!/usr/bin/env python3
"""NEURON co-simulation: N surrogate neurons served by the gateway inside a NEURON network.

NEURON side: Hodgkin-Huxley point cells (one compartment, excitatory and inhibitory ExpSyn) driven by
NetStim sources. Spikes out of NEURON: NetCon.record on the NetStims and on the cells' soma voltage
(threshold 0 mV). Spikes into NEURON: NetCon.event on NetCons without a source, aimed at the cells'
excitatory synapses. Every surrogate synapse has one random presynaptic source (excitatory synapses:
an excitatory NetStim or a cell; inhibitory ones: an inhibitory NetStim).

Lock-step: h.continuerun(t + chunk), then the chunk's source spikes [t, t + chunk) go to the gateway
and the surrogates' spikes of the same chunk come back, delivered chunk ms later (the min delay).
Fixed step (h.cvode off); NetCon.event works with CVode too. NetStims draw from Random123 streams
named by the seed, so a run is deterministic.

Last line: RESULT neurons= sim_ms= surrogate_spikes= cell_spikes= spikes_into_surrogates= spikes_from_surrogates=
The API key comes from $NS_API_KEY. Needs Debian's python3-neuron, python3-grpcio, python3-grpc-tools.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from neurosurrogate import Client, SurrogatePopulation  # noqa: E402
from neurosurrogate.wiring import Fanout, synapse_slots  # noqa: E402

# advance() counts a time within this much of a bin boundary in the next bin; keep such spikes for the next chunk.
EDGE_MS = 1e-6


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True, help="gateway host:port")
    p.add_argument("--model", default="iaf-demo")
    p.add_argument("--version", default="latest")
    p.add_argument("--neurons", type=int, default=20, help="surrogate neurons")
    p.add_argument("--cells", type=int, default=50, help="NEURON HH cells")
    p.add_argument("--stims", type=int, default=200, help="excitatory NetStims (a quarter as many inhibitory)")
    p.add_argument("--exc-hz", type=float, default=4.0)
    p.add_argument("--inh-hz", type=float, default=2.0)
    p.add_argument("--cell-share", type=float, default=0.05, help="share of the surrogates' excitatory synapses fed by cells")
    p.add_argument("--no-feedback", action="store_true", help="do not deliver the surrogates' spikes to the cells")
    p.add_argument("--duration-ms", type=int, default=300)
    p.add_argument("--chunk-ms", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tls-ca")
    args = p.parse_args()
    if args.chunk_ms < 1 or args.duration_ms % args.chunk_ms:
        p.error("--chunk-ms must be >= 1 and divide --duration-ms")
    return args


class Recorder:
    """NetCon.record into one pair of vectors per group; new() hands out each spike once, in its chunk."""

    def __init__(self, h):
        self.times, self.ids, self.seen = h.Vector(), h.Vector(), 0
        self.keep_t, self.keep_i = np.zeros(0), np.zeros(0, dtype=np.int64)

    def new(self, t_end):
        t, i = self.keep_t, self.keep_i
        if len(self.times) > self.seen:
            t = np.concatenate([t, self.times.as_numpy()[self.seen:]])
            i = np.concatenate([i, self.ids.as_numpy()[self.seen:].astype(np.int64)])
            self.seen = len(self.times)
        now = t + EDGE_MS < t_end
        self.keep_t, self.keep_i = t[~now], i[~now]
        return i[now], t[now]


def main():
    args = parse_args()
    from neuron import h
    h.load_file("stdrun.hoc")
    with Client(args.target, tls_ca=args.tls_ca) as client, SurrogatePopulation(client, args.model, args.version, n=args.neurons) as pop:
        print("model %s version %d: %d exc + %d inh synapses, %d neurons" % (pop.model, pop.version, pop.n_exc, pop.n_inh, pop.n), flush=True)
        cosimulate(args, h, pop)


def cosimulate(args, h, pop):
    rng = np.random.default_rng(args.seed)

    cells, exc_syn, inh_syn, keep_alive = [], [], [], []
    cell_rec = Recorder(h)
    for c in range(args.cells):
        soma = h.Section(name="cell%d" % c)
        soma.L = soma.diam = 20
        soma.insert("hh")
        e, i = h.ExpSyn(soma(0.5)), h.ExpSyn(soma(0.5))
        e.tau, i.tau, i.e = 2, 5, -80
        detector = h.NetCon(soma(0.5)._ref_v, None, sec=soma)
        detector.threshold = 0
        detector.record(cell_rec.times, cell_rec.ids, c)
        cells.append(soma), exc_syn.append(e), inh_syn.append(i), keep_alive.append(detector)

    def stims(count, hz, stream, targets, weight, recorder):
        for k in range(count):
            s = h.NetStim()
            s.interval, s.number, s.start, s.noise = 1000.0 / hz, 1e9, 0, 1
            s.noiseFromRandom123(args.seed, stream, k)
            keep_alive.append(s)
            tap = h.NetCon(s, None)
            tap.record(recorder.times, recorder.ids, k)
            keep_alive.append(tap)
            for c in np.flatnonzero(rng.random(args.cells) < 0.2):
                nc = h.NetCon(s, targets[c])
                nc.weight[0], nc.delay = weight, 1
                keep_alive.append(nc)

    n_inh_stims = max(1, args.stims // 4)
    recorders = {"stim_exc": Recorder(h), "stim_inh": Recorder(h), "cells": cell_rec}
    stims(args.stims, args.exc_hz, 1, exc_syn, 0.0005, recorders["stim_exc"])
    stims(n_inh_stims, args.inh_hz, 2, inh_syn, 0.004, recorders["stim_inh"])

    exc_n, exc_s = synapse_slots(pop.n, np.arange(pop.n_exc))
    from_cells = rng.random(len(exc_n)) < args.cell_share
    inh_n, inh_s = synapse_slots(pop.n, np.arange(pop.n_exc, pop.n_exc + pop.n_inh))
    fanout = {"stim_exc": Fanout.random(rng, exc_n[~from_cells], exc_s[~from_cells], args.stims),
              "cells": Fanout.random(rng, exc_n[from_cells], exc_s[from_cells], args.cells),
              "stim_inh": Fanout.random(rng, inh_n, inh_s, n_inh_stims)}
    # Surrogate i -> its NetCons (no source): each cell hears 4 random surrogates, however many there are.
    feedback = [[] for _ in range(pop.n)]
    for c in range(args.cells):
        for i in rng.integers(0, pop.n, 4):
            nc = h.NetCon(None, exc_syn[c])
            nc.weight[0] = 0.0005
            feedback[i].append(nc)
    h.cvode.active(False)
    h.dt = 0.025
    h.finitialize(-65)
    sent = delivered = 0
    out = []
    for t_end in range(args.chunk_ms, args.duration_ms + 1, args.chunk_ms):
        h.continuerun(t_end)
        parts = [fanout[g].targets(*recorders[g].new(t_end)) for g in recorders]
        spikes = tuple(np.concatenate([p[k] for p in parts]) for k in range(3))
        sent += len(spikes[0])
        neurons, times = pop.advance(t_end, spikes)
        out.append(neurons)
        for i, t in zip(neurons, times):
            if t + args.chunk_ms < args.duration_ms and not args.no_feedback:
                delivered += 1
                for nc in feedback[i]:
                    nc.event(t + args.chunk_ms)  # >= t_end: NEURON's clock is there now
    cell_spikes = int(np.sum(np.asarray(cell_rec.times) < args.duration_ms))
    print("RESULT neurons=%d sim_ms=%d surrogate_spikes=%d cell_spikes=%d spikes_into_surrogates=%d spikes_from_surrogates=%d"
          % (pop.n, args.duration_ms, sum(len(o) for o in out), cell_spikes, sent, delivered), flush=True)


if __name__ == "__main__":
    main()
