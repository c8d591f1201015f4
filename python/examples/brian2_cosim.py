#!/usr/bin/env python3
"""Brian2 co-simulation: N surrogate neurons served by the gateway inside a Brian2 network.

Brian2 side: excitatory and inhibitory Poisson groups drive a LIF population. Surrogate side: a
SurrogatePopulation of N neurons of a served model. Every surrogate synapse has one presynaptic source
drawn at random: excitatory synapses (0 .. n_exc-1, from the model card) from the excitatory Poisson
group or the LIF population, inhibitory ones from the inhibitory Poisson group. The surrogates' spikes
come back through a relay group (one relay neuron per surrogate) and excitatory Brian2 synapses onto
the LIF population.

Lock-step: a network_operation every chunk (the min delay, default 5 ms) sends the source spikes of
the last chunk [t - chunk, t) to the gateway and gets the surrogates' spikes of the same chunk, which
the relay emits one chunk later (the feedback delay is the chunk). Deterministic for a seed: numpy
code generation, seeded Brian2 and numpy, and a served model that computes the same outputs.

Last line: RESULT neurons= sim_ms= surrogate_spikes= lif_spikes= spikes_into_surrogates= spikes_from_surrogates=
The API key comes from $NS_API_KEY. Needs Debian's python3-brian, python3-grpcio, python3-grpc-tools.
"""
import argparse
import json
import os
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from neurosurrogate import Client, SurrogatePopulation  # noqa: E402
from neurosurrogate.wiring import Fanout, synapse_slots  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True, help="gateway host:port")
    p.add_argument("--model", default="iaf-demo")
    p.add_argument("--version", default="latest", help="a version number, latest or champion")
    p.add_argument("--neurons", type=int, default=20, help="surrogate neurons")
    p.add_argument("--lif", type=int, default=100, help="LIF neurons")
    p.add_argument("--poisson", type=int, default=400, help="excitatory Poisson sources (a quarter as many inhibitory)")
    p.add_argument("--exc-hz", type=float, default=5.0, help="rate of the excitatory Poisson sources")
    p.add_argument("--inh-hz", type=float, default=2.0, help="rate of the inhibitory Poisson sources")
    p.add_argument("--lif-share", type=float, default=0.05, help="share of the surrogates' excitatory synapses fed by LIF neurons")
    p.add_argument("--feedback-inputs", type=int, default=4, help="surrogates feeding each LIF neuron")
    p.add_argument("--feedback-mv", type=float, default=0.5, help="EPSP of a surrogate spike on a LIF neuron")
    p.add_argument("--duration-ms", type=int, default=1000)
    p.add_argument("--chunk-ms", type=int, default=5, help="exchange interval = min delay (whole ms)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-feedback", action="store_true", help="do not deliver the surrogates' spikes to the LIF population")
    p.add_argument("--event-driven", action="store_true", help="the model's first layer event by event (same outputs)")
    p.add_argument("--out", help="write the spikes (neuron ids, times ms) of both populations to this JSON file")
    p.add_argument("--tls-ca", help="PEM of the certificate(s) to trust: connect with TLS (default: plaintext)")
    args = p.parse_args()
    if args.chunk_ms < 1 or args.duration_ms % args.chunk_ms:
        p.error("--chunk-ms must be >= 1 and divide --duration-ms")
    return args


def wire(rng, n, n_exc, n_inh, n_poisson_exc, n_poisson_inh, n_lif, lif_share):
    """One random source per surrogate synapse: {monitored group: Fanout}."""
    exc_neurons, exc_synapses = synapse_slots(n, np.arange(n_exc))
    from_lif = rng.random(len(exc_neurons)) < lif_share
    inh_neurons, inh_synapses = synapse_slots(n, np.arange(n_exc, n_exc + n_inh))
    return {"poisson_exc": Fanout.random(rng, exc_neurons[~from_lif], exc_synapses[~from_lif], n_poisson_exc),
            "lif": Fanout.random(rng, exc_neurons[from_lif], exc_synapses[from_lif], n_lif),
            "poisson_inh": Fanout.random(rng, inh_neurons, inh_synapses, n_poisson_inh)}


class SpikeReader:
    """The spikes a SpikeMonitor recorded since the last call, as (indices, times ms)."""

    def __init__(self, monitor):
        self.monitor, self.seen = monitor, 0

    def new(self):
        i = np.asarray(self.monitor.i[self.seen:], dtype=np.int64)
        t = np.asarray(self.monitor.t_[self.seen:]) * 1000.0
        self.seen += len(i)
        return i, t


def main():
    args = parse_args()
    warnings.filterwarnings("ignore", category=FutureWarning, module="pythran")  # Debian's pythran on numpy 1.24
    import brian2 as b2
    b2.prefs.codegen.target = "numpy"  # no compiler, quick to start
    b2.seed(args.seed)
    with Client(args.target, tls_ca=args.tls_ca) as client, \
            SurrogatePopulation(client, args.model, args.version, n=args.neurons, event_driven=args.event_driven) as pop:
        print("model %s version %d: %d exc + %d inh synapses, spike threshold %.4f, %d neurons"
              % (pop.model, pop.version, pop.n_exc, pop.n_inh, pop.spike_threshold, pop.n), flush=True)
        cosimulate(args, b2, pop)


def cosimulate(args, b2, pop):
    rng = np.random.default_rng(args.seed)
    ms, Hz = b2.ms, b2.Hz
    n_poisson_inh = max(1, args.poisson // 4)
    poisson_exc = b2.PoissonGroup(args.poisson, rates=args.exc_hz * Hz)
    poisson_inh = b2.PoissonGroup(n_poisson_inh, rates=args.inh_hz * Hz)
    lif = b2.NeuronGroup(args.lif, "dv/dt = (-70*mV - v) / (20*ms) : volt (unless refractory)", threshold="v > -50*mV",
                         reset="v = -60*mV", refractory=2 * ms, method="exact")
    lif.v = "-70*mV + 15*mV * rand()"
    relay = b2.NeuronGroup(args.neurons, "fire : boolean", threshold="fire", reset="fire = False")
    drive_exc = b2.Synapses(poisson_exc, lif, on_pre="v += 1.5*mV")
    drive_exc.connect(p=0.2)
    drive_inh = b2.Synapses(poisson_inh, lif, on_pre="v -= 3*mV")
    drive_inh.connect(p=0.2)
    feedback = b2.Synapses(relay, lif, on_pre="v += feedback_mv*mV", namespace={"feedback_mv": args.feedback_mv})
    # A fixed in-degree: each LIF neuron hears --feedback-inputs random surrogates, however many there are.
    feedback.connect(i=rng.integers(0, args.neurons, args.lif * args.feedback_inputs), j=np.repeat(np.arange(args.lif), args.feedback_inputs))
    monitors = {name: b2.SpikeMonitor(g) for name, g in (("poisson_exc", poisson_exc), ("poisson_inh", poisson_inh), ("lif", lif))}
    relay_monitor = b2.SpikeMonitor(relay)
    fanout = wire(rng, args.neurons, pop.n_exc, pop.n_inh, args.poisson, n_poisson_inh, args.lif, args.lif_share)
    readers = {name: SpikeReader(m) for name, m in monitors.items()}

    chunk = args.chunk_ms
    due = {}  # ms -> relay indices to fire then
    out_neurons, out_times = [], []
    sent = [0]

    def exchange(now_ms):
        """Source spikes of [now - chunk, now) into the surrogates; their spikes of the same chunk out, one chunk later."""
        parts = [fanout[name].targets(*readers[name].new()) for name in readers]
        spikes = tuple(np.concatenate([p[k] for p in parts]) for k in range(3))
        sent[0] += len(spikes[0])
        neurons, times = pop.advance(now_ms, spikes)
        out_neurons.append(neurons), out_times.append(times)
        if not args.no_feedback:
            for i, t in zip(neurons, times):
                due.setdefault(int(round(t)) + chunk, []).append(i)

    @b2.network_operation(dt=1 * ms, when="start")
    def lock_step(t):
        now = int(round(t / ms))
        if now > 0 and now % chunk == 0:
            exchange(now)
        fire = due.pop(now, None)
        if fire:
            relay.fire[np.asarray(fire)] = True

    net = b2.Network(poisson_exc, poisson_inh, lif, relay, drive_exc, drive_inh, feedback, relay_monitor, lock_step, *monitors.values())
    started = time.perf_counter()
    net.run(args.duration_ms * ms)
    exchange(args.duration_ms)  # the last chunk: its surrogate spikes would reach the LIF neurons after the end
    wall_s = time.perf_counter() - started

    surrogate_i, surrogate_t = np.concatenate(out_neurons), np.concatenate(out_times)
    lif_i, lif_t = np.asarray(monitors["lif"].i[:]), np.round(np.asarray(monitors["lif"].t_[:]) * 1e4) / 10
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"model": pop.model, "version": pop.version, "seed": args.seed, "feedback": not args.no_feedback,
                       "surrogate": {"neurons": surrogate_i.tolist(), "times_ms": surrogate_t.tolist()},
                       "lif": {"neurons": lif_i.tolist(), "times_ms": lif_t.tolist()}}, f)
    print("wall %.1f s for %d ms (%d exchanges)" % (wall_s, args.duration_ms, args.duration_ms // chunk), flush=True)
    print("RESULT neurons=%d sim_ms=%d surrogate_spikes=%d lif_spikes=%d spikes_into_surrogates=%d spikes_from_surrogates=%d"
          % (args.neurons, args.duration_ms, len(surrogate_i), len(lif_i), sent[0], relay_monitor.num_spikes), flush=True)


if __name__ == "__main__":
    main()
