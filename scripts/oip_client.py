#!/usr/bin/env python3
"""A standard Open Inference Protocol v2 client, written against the proto alone.

It compiles proto/src/main/proto/inference/open_inference_v2.proto with grpc_tools (Debian:
python3-grpcio, python3-grpc-tools), then, against the gateway:
  ServerLive, ServerReady, ModelReady, ModelMetadata;
  ModelInfer of one neuron over a window of random input spikes (FP32, raw_input_contents);
  ModelStreamInfer of the same input as one sequence in requests of uneven length
  (sequence_start on the first, sequence_end on the last), plus a request for a sequence that was
  never started (it must come back as an error_message while the stream goes on), then the same
  sequence again with the first layer event-driven (parameter event_driven).
The streamed outputs, bin by bin, must equal the window's (the model keeps the neuron's state).
Last line: RESULT model= version= synapses= time_ms= infer_ms= stream_requests= stream_vs_window_max_abs_diff= errors=
Exit status 0 when every check passed.
"""
import argparse
import os
import random
import struct
import sys
import tempfile
import time


def load_stubs(proto_root):
    from grpc_tools import protoc
    out = tempfile.mkdtemp(prefix="oip-stubs-")
    rc = protoc.main(["protoc", "-I" + proto_root, "--python_out=" + out, "--grpc_python_out=" + out,
                      "inference/open_inference_v2.proto"])
    if rc != 0:
        sys.exit("protoc failed on " + proto_root)
    sys.path.insert(0, out)
    from inference import open_inference_v2_pb2 as pb
    from inference import open_inference_v2_pb2_grpc as pb_grpc
    return pb, pb_grpc


def fp32_bytes(values):
    return struct.pack("<%df" % len(values), *values)


def fp32_values(raw):
    return struct.unpack("<%df" % (len(raw) // 4), raw)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True, help="gateway host:port")
    p.add_argument("--model", required=True)
    p.add_argument("--version", default="", help="model version ('' = latest)")
    p.add_argument("--time-ms", type=int, default=300)
    p.add_argument("--rate", type=float, default=0.01, help="spike probability per synapse and 1 ms bin")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--tolerance", type=float, default=1e-4)
    p.add_argument("--api-key", default=os.environ.get("NS_API_KEY", ""), help="default: $NS_API_KEY")
    p.add_argument("--tls-ca", help="PEM of the certificate(s) to trust: connect with TLS (default: plaintext)")
    p.add_argument("--proto-root", default=os.path.join(here, "..", "proto", "src", "main", "proto"))
    args = p.parse_args()

    import grpc
    pb, pb_grpc = load_stubs(args.proto_root)
    metadata = [("authorization", "Bearer " + args.api_key)] if args.api_key else []
    options = [("grpc.max_receive_message_length", 64 << 20)]
    if args.tls_ca:
        with open(args.tls_ca, "rb") as f:
            channel = grpc.secure_channel(args.target, grpc.ssl_channel_credentials(f.read()), options=options)
    else:
        channel = grpc.insecure_channel(args.target, options=options)
    stub = pb_grpc.GRPCInferenceServiceStub(channel)
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("FAILED: " + what, flush=True)

    check(stub.ServerLive(pb.ServerLiveRequest(), metadata=metadata, timeout=30).live, "server live")
    check(stub.ServerReady(pb.ServerReadyRequest(), metadata=metadata, timeout=30).ready, "server ready")
    check(stub.ModelReady(pb.ModelReadyRequest(name=args.model, version=args.version), metadata=metadata, timeout=30).ready,
          "model ready")
    meta = stub.ModelMetadata(pb.ModelMetadataRequest(name=args.model, version=args.version), metadata=metadata, timeout=30)
    spikes_input = meta.inputs[0]
    synapses = spikes_input.shape[1]
    outputs = [o.name for o in meta.outputs]
    version = meta.parameters["version"].string_param
    print("metadata: input %s %s %s, outputs %s, versions %s, version %s" % (
        spikes_input.name, spikes_input.datatype, list(spikes_input.shape), outputs, list(meta.versions), version), flush=True)
    check(list(spikes_input.shape) == [-1, synapses, -1] and synapses > 0, "input shape [-1, synapses, -1]")
    check(outputs[:2] == ["spike_prob", "soma_mv"], "outputs spike_prob, soma_mv")

    # One neuron, random input: [1, synapses, time] row-major (synapse-major, then time).
    rng = random.Random(args.seed)
    t_total = args.time_ms
    x = [1.0 if rng.random() < args.rate else 0.0 for _ in range(synapses * t_total)]

    def request(t0, t1, **params):
        r = pb.ModelInferRequest(model_name=args.model, model_version=version)
        r.inputs.add(name=spikes_input.name, datatype="FP32", shape=[1, synapses, t1 - t0])
        r.raw_input_contents.append(fp32_bytes([x[s * t_total + t] for s in range(synapses) for t in range(t0, t1)]))
        for k, v in params.items():
            if isinstance(v, bool):
                r.parameters[k].bool_param = v
            else:
                r.parameters[k].int64_param = v
        return r

    started = time.perf_counter()
    window = stub.ModelInfer(request(0, t_total), metadata=metadata, timeout=60)
    infer_ms = (time.perf_counter() - started) * 1000
    got = {o.name: fp32_values(window.raw_output_contents[i]) for i, o in enumerate(window.outputs)}
    check(list(window.outputs[0].shape) == [1, t_total], "window output shape [1, time]")

    cuts = [0]
    for length in (1, 7, 50, 100):
        if cuts[-1] + length < t_total:
            cuts.append(cuts[-1] + length)
    cuts.append(t_total)
    stream_requests = []
    for i in range(len(cuts) - 1):
        params = {"sequence_id": 7}
        if i == 0:
            params["sequence_start"] = True
        if i == len(cuts) - 2:
            params["sequence_end"] = True
        stream_requests.append(request(cuts[i], cuts[i + 1], **params))
    never_started = request(0, 1, sequence_id=99)
    # The same sequence twice: first layer dense, then event by event (parameter event_driven).
    event_driven = []
    for r in stream_requests:
        e = pb.ModelInferRequest()
        e.CopyFrom(r)
        e.parameters["event_driven"].bool_param = True
        event_driven.append(e)
    answers = list(stub.ModelStreamInfer(iter(stream_requests + [never_started] + event_driven), metadata=metadata, timeout=120))
    n = len(stream_requests)
    check(len(answers) == 2 * n + 1, "one answer per request")
    check("not started" in answers[n].error_message, "a sequence without sequence_start is refused: " + answers[n].error_message)
    diff = 0.0
    for mode, part in (("dense", answers[:n]), ("event-driven", answers[n + 1:])):
        streamed = {"spike_prob": [], "soma_mv": []}
        for a in part:
            check(a.error_message == "", mode + " stream request answered: " + a.error_message)
            for i, o in enumerate(a.infer_response.outputs):
                if o.name in streamed:
                    streamed[o.name].extend(fp32_values(a.infer_response.raw_output_contents[i]))
        check(all(len(streamed[k]) == t_total for k in streamed), mode + ": streamed every bin")
        d = max(abs(a - b) for name in streamed for a, b in zip(streamed[name], got[name]))
        check(d <= args.tolerance, "%s stream equals window within %g (max |diff| %g)" % (mode, args.tolerance, d))
        diff = max(diff, d)

    print("RESULT model=%s version=%s synapses=%d time_ms=%d infer_ms=%.1f stream_requests=%d stream_vs_window_max_abs_diff=%.3g errors=%d"
          % (args.model, version, synapses, t_total, infer_ms, len(stream_requests), diff, len(failures)), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
