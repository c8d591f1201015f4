#!/usr/bin/env python3
"""NeuroSurrogate NEURON driver: runs one cell in NEURON (8.2) with fixed-step implicit Euler.

Two kinds of cell:

* ``model``: a cell built from NeuroSurrogate's JSON model description (format
  "neurosurrogate.cell.v1", written by the Java class CellModelJson), i.e. the SAME description
  the pure-Java compartmental engine reads, so the two simulators can be compared trace by trace.
* ``user``: a user's own NEURON cell, a hoc template or a Python class; synapse sites are every
  segment of its dendritic sections (SectionLists ``basal`` / ``apical`` if the cell has them,
  else sections whose names contain "dend" or "apic"). ``--describe`` prints the sites and
  sections as JSON instead of running.

Mechanisms are loaded explicitly from a compiled library (``--mechlib .../libnrnmech.so``); run
the driver with a working directory WITHOUT an ``x86_64`` folder so that ``import neuron`` does not
auto-load a second copy.

Synapses: one ExcSyn (AMPA + NMDA) and one InhSyn (GABA_A) per site; every synapse of one kind on
one segment is aggregated into one point process (exact: the conductances are linear in the
events). Parameter values after Beniaguev, Segev & London (2021), Neuron, set from the model's
"synapses" object (gmax in nS there, uS here).

Input spikes (binary, little-endian): int32 nSynapses, int32 durationMs, then per synapse int32
count and count int32 bins (1 ms bins: a spike in bin b is an event at t = b ms exactly).
Synapse k < nSites drives the ExcSyn of site k, synapse k >= nSites the InhSyn of site k - nSites.

Output (binary, little-endian float64): one trace per recording, each with the voltage (mV) at every
step t = 0, dt, ..., tstop; the soma(0.5) trace first, then the ``--record`` extras in their order.
A last stdout line ``NSURR_RESULT {json}`` gives run_seconds (wall-clock of the run loop alone),
points and traces. Describe mode prints ``NSURR_DESCRIBE {json}``.

Only the standard library and neuron are used.
"""

import argparse
import importlib.util
import json
import os
import sys
import time
from array import array

RESULT_MARK = "NSURR_RESULT "
DESCRIBE_MARK = "NSURR_DESCRIBE "
FORMAT = "neurosurrogate.cell.v1"


def fail(message):
    """A clear one-line error on stderr and exit status 2 (bad input, not a NEURON crash)."""
    sys.stderr.write("driver.py: " + message + "\n")
    sys.exit(2)


def load_neuron(mechlib):
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui")
    from neuron import h
    if mechlib:
        if not os.path.isfile(mechlib):
            fail("mechanism library not found: " + mechlib)
        if not h.nrn_load_dll(mechlib):
            fail("NEURON could not load the mechanism library " + mechlib)
    return h


# ----------------------------------------------------------------------------------------------
# inputs and outputs


def read_spikes(path, n_synapses, duration_ms):
    """Event times (ms) per synapse from the binary spike file."""
    data = array("i")
    with open(path, "rb") as f:
        data.frombytes(f.read())
    if sys.byteorder != "little":
        data.byteswap()
    if len(data) < 2:
        fail(path + ": spike file too short")
    n, duration = data[0], data[1]
    if n != n_synapses:
        fail("%s: %d synapses in the spike file, the cell has %d (2 x %d sites)"
             % (path, n, n_synapses, n_synapses // 2))
    if duration != duration_ms:
        fail("%s: duration %d ms in the spike file, %d ms requested" % (path, duration, duration_ms))
    pos = 2
    times = []
    for k in range(n):
        if pos >= len(data):
            fail("%s: truncated at synapse %d" % (path, k))
        count = data[pos]
        pos += 1
        if count < 0 or pos + count > len(data):
            fail("%s: bad spike count %d for synapse %d" % (path, count, k))
        bins = data[pos:pos + count]
        pos += count
        for b in bins:
            if b < 0 or b >= duration:
                fail("%s: synapse %d has a spike in bin %d outside [0, %d)" % (path, k, b, duration))
        times.append([float(b) for b in bins])
    if pos != len(data):
        fail("%s: %d trailing values" % (path, len(data) - pos))
    return times


def write_traces(path, vectors):
    out = array("d")
    for vec in vectors:
        out.extend(vec)
    if sys.byteorder != "little":
        out.byteswap()
    with open(path, "wb") as f:
        out.tofile(f)


def parse_record(text):
    if not text:
        return []
    try:
        pairs = json.loads(text)
        return [(int(p[0]), int(p[1])) for p in pairs]
    except (ValueError, TypeError, IndexError) as e:
        fail("--record must be a JSON list of [section, segment] pairs: %s (%s)" % (text, e))


def seg_x(segment, nseg):
    """Segment s of a section with nseg n sits at x = (s + 0.5) / n."""
    return (segment + 0.5) / nseg


# ----------------------------------------------------------------------------------------------
# synapses and the run


class Synapses:
    """One ExcSyn and one InhSyn per site, with one NetCon(None, syn) each, weight 1 per spike."""

    def __init__(self, h, sites, params):
        self.h = h
        self.exc = []
        self.inh = []
        self.netcons = []
        ampa, nmda, gaba = params["ampa"], params["nmda"], params["gaba"]
        for seg in sites:
            e = h.ExcSyn(seg)
            e.tau_rise_ampa = ampa["tau_rise"]
            e.tau_decay_ampa = ampa["tau_decay"]
            e.gmax_ampa = ampa["gmax_ns"] * 1e-3  # nS -> uS
            e.tau_rise_nmda = nmda["tau_rise"]
            e.tau_decay_nmda = nmda["tau_decay"]
            e.gmax_nmda = nmda["gmax_ns"] * 1e-3
            e.mg = params["mg_mm"]
            e.e = params["e_exc"]
            self.exc.append(e)
            i = h.InhSyn(seg)
            i.tau_rise = gaba["tau_rise"]
            i.tau_decay = gaba["tau_decay"]
            i.gmax = gaba["gmax_ns"] * 1e-3
            i.e = params["e_inh"]
            self.inh.append(i)
        for syn in self.exc + self.inh:
            nc = h.NetCon(None, syn)
            nc.weight[0] = 1.0
            nc.delay = 0
            self.netcons.append(nc)
        self.times = None
        self._fih = h.FInitializeHandler(self._queue)

    def set_spikes(self, times):
        self.times = times

    def _queue(self):
        if not self.times:
            return
        for nc, ts in zip(self.netcons, self.times):
            for t in ts:
                nc.event(t)


def run(h, soma_seg, extra_segs, synapses, spikes_path, duration_ms, dt, v_init, out_path):
    synapses.set_spikes(read_spikes(spikes_path, len(synapses.netcons), duration_ms))
    h.CVode().active(0)
    h.secondorder = 0
    h.dt = dt
    vectors = [h.Vector().record(soma_seg._ref_v)]
    for seg in extra_segs:
        vectors.append(h.Vector().record(seg._ref_v))
    steps = int(round(duration_ms / dt))
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    h.finitialize(v_init)
    start = time.perf_counter()
    pc.psolve(duration_ms)
    while vectors[0].size() < steps + 1:  # guard against rounding of t; normally never runs
        h.fadvance()
    run_seconds = time.perf_counter() - start
    if vectors[0].size() != steps + 1:
        fail("recorded %d points, expected %d" % (vectors[0].size(), steps + 1))
    write_traces(out_path, vectors)
    print(RESULT_MARK + json.dumps({"run_seconds": run_seconds, "points": steps + 1,
                                    "traces": len(vectors), "dt": dt}))
    sys.stdout.flush()


# ----------------------------------------------------------------------------------------------
# model mode


def build_model(h, model):
    if model.get("format") != FORMAT:
        fail("model format must be %s, got %r" % (FORMAT, model.get("format")))
    secs = []
    for idx, d in enumerate(model["sections"]):
        sec = h.Section(name=d["name"])
        parent = d["parent"]
        if idx == 0 and parent != -1:
            fail("section 0 must be the root")
        if idx > 0:
            if not 0 <= parent < idx:
                fail("section %s: parent %d must precede it" % (d["name"], parent))
            sec.connect(secs[parent](d["parent_x"]), 0)
        sec.L = d["L"]
        sec.nseg = d["nseg"]
        diam = d["diam"]
        if len(diam) != sec.nseg:
            fail("section %s: %d diameters for nseg %d" % (d["name"], len(diam), sec.nseg))
        for s, seg in enumerate(sec):
            seg.diam = diam[s]
        sec.cm = d["cm"]
        sec.Ra = d["Ra"]
        for mech, params in d["mechanisms"].items():
            try:
                sec.insert(mech)
            except ValueError as e:
                raise ValueError("section %s: cannot insert mechanism %r (%s)" % (d["name"], mech, e))
            for param, values in params.items():
                if len(values) != sec.nseg:
                    fail("section %s: %s.%s has %d values for nseg %d"
                         % (d["name"], mech, param, len(values), sec.nseg))
                name = "%s_%s" % (param, mech)
                for s, seg in enumerate(sec):
                    setattr(seg, name, values[s])
        if h.ismembrane("na_ion", sec=sec):
            sec.ena = d["ena"]
        if h.ismembrane("k_ion", sec=sec):
            sec.ek = d["ek"]
        secs.append(sec)
    h.celsius = model["celsius"]
    if hasattr(h, "cai0_ca_ion"):  # the ca ion exists only once a mechanism uses it
        h.cai0_ca_ion = model["cai_init"]
        h.cao0_ca_ion = model["cao"]
    return secs


def segment_of(secs, ref, what):
    s, i = ref
    if not 0 <= s < len(secs):
        fail("%s: section %d does not exist (%d sections)" % (what, s, len(secs)))
    if not 0 <= i < secs[s].nseg:
        fail("%s: segment %d of %s does not exist (nseg %d)" % (what, i, secs[s].name(), secs[s].nseg))
    return secs[s](seg_x(i, secs[s].nseg))


def cmd_model(h, args):
    with open(args.model) as f:
        model = json.load(f)
    secs = build_model(h, model)
    syn = model["synapses"]
    sites = [segment_of(secs, site, "synapse site") for site in syn["sites"]]
    synapses = Synapses(h, sites, syn)
    extras = [segment_of(secs, r, "recording") for r in parse_record(args.record)]
    run(h, secs[0](0.5), extras, synapses, args.spikes, args.duration, args.dt, model["v_init"], args.out)


# ----------------------------------------------------------------------------------------------
# user mode


def instantiate(h, args):
    path = os.path.abspath(args.template)
    preload = [os.path.abspath(p) for p in args.preload or []]
    morphology = os.path.abspath(args.morphology) if args.morphology else None
    # relative paths inside the user's files (morphologies, other hoc or py files) resolve from
    # the template's folder; the mechanisms were loaded already, so no x86_64 there is auto-loaded
    os.chdir(os.path.dirname(path))
    for p in preload:
        if not h.load_file(p):
            fail("NEURON could not load " + p)
    if path.endswith(".py"):
        sys.path.insert(0, os.path.dirname(path))
        spec = importlib.util.spec_from_file_location("nsurr_user_cell", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not hasattr(module, args.name):
            fail("%s defines no class %s" % (path, args.name))
        cls = getattr(module, args.name)
    else:
        if not h.load_file(path):
            fail("NEURON could not load " + path)
        if not hasattr(h, args.name):
            fail("%s defines no template %s" % (path, args.name))
        cls = getattr(h, args.name)
    return cls(morphology) if morphology else cls()


def as_sections(h, obj):
    """A Section, a SectionList or a hoc array of sections as a list of Sections."""
    if obj is None:
        return []
    from neuron import nrn
    if isinstance(obj, nrn.Section):
        return [obj]
    try:
        return [s for s in obj]
    except TypeError:
        return []


def dendritic_sections(h, cell):
    lists = []
    for attr in ("basal", "apical"):
        if hasattr(cell, attr):
            lists.extend(as_sections(h, getattr(cell, attr)))
    if lists:
        return lists
    return [s for s in h.allsec() if "dend" in s.name() or "apic" in s.name()]


def soma_section(h, cell):
    if hasattr(cell, "soma"):
        secs = as_sections(h, cell.soma)
        if secs:
            return secs[0]
    for s in h.allsec():
        if "soma" in s.name():
            return s
    fail("the cell has no soma (no 'soma' attribute and no section named soma)")


def cmd_user(h, args):
    cell = instantiate(h, args)
    all_secs = list(h.allsec())
    soma = soma_section(h, cell)
    dends = dendritic_sections(h, cell)
    sites = [seg for sec in dends for seg in sec]
    if args.describe:
        print(DESCRIBE_MARK + json.dumps({
            "sites": len(sites),
            "soma": soma.name(),
            "sections": [{"name": s.name(), "nseg": s.nseg, "L": s.L} for s in all_secs],
            "site_sections": [s.name() for s in dends],
        }))
        sys.stdout.flush()
        return
    for name in ("spikes", "out", "duration", "dt", "synapses"):
        if getattr(args, name) is None:
            fail("user run needs --" + name)
    with open(args.synapses) as f:
        params = json.load(f)
    if args.celsius is not None:
        h.celsius = args.celsius
    synapses = Synapses(h, sites, params)
    extras = [segment_of(all_secs, r, "recording") for r in parse_record(args.record)]
    v_init = args.v_init if args.v_init is not None else -65.0
    run(h, soma(0.5), extras, synapses, args.spikes, args.duration, args.dt, v_init, args.out)


# ----------------------------------------------------------------------------------------------


def main(argv):
    p = argparse.ArgumentParser(description="NeuroSurrogate NEURON driver")
    p.add_argument("--mechlib", help="compiled libnrnmech.so with ExcSyn, InhSyn and the cell's mechanisms")
    sub = p.add_subparsers(dest="mode", required=True)

    def run_args(q, required):
        q.add_argument("--spikes", required=required, help="binary spike file")
        q.add_argument("--duration", type=int, required=required, help="tstop in ms")
        q.add_argument("--dt", type=float, required=required, help="fixed time step in ms")
        q.add_argument("--out", required=required, help="output file, float64 traces")
        q.add_argument("--record", help="JSON list of extra [section, segment] recordings")

    m = sub.add_parser("model", help="a cell from a neurosurrogate.cell.v1 JSON description")
    m.add_argument("--model", required=True)
    run_args(m, True)

    u = sub.add_parser("user", help="a user's own NEURON cell")
    u.add_argument("--template", required=True, help=".hoc template file or .py module")
    u.add_argument("--name", required=True, help="template or class name")
    u.add_argument("--morphology", help="argument to the template (e.g. a morphology file)")
    u.add_argument("--preload", action="append", help="hoc file to load first (repeatable)")
    u.add_argument("--describe", action="store_true", help="print sites and sections, do not run")
    u.add_argument("--synapses", help="JSON file with the synapse parameters (as in the model format)")
    u.add_argument("--celsius", type=float)
    u.add_argument("--v-init", dest="v_init", type=float)
    run_args(u, False)

    args = p.parse_args(argv)
    for name in ("spikes", "out", "model", "synapses"):  # user mode changes the working directory
        if getattr(args, name, None):
            setattr(args, name, os.path.abspath(getattr(args, name)))
    h = load_neuron(args.mechlib)
    if args.mode == "model":
        cmd_model(h, args)
    else:
        cmd_user(h, args)


if __name__ == "__main__":
    main(sys.argv[1:])
