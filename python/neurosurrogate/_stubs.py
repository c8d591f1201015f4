"""The gRPC stubs, generated from the project's .proto files at first use.

protoc (Debian: python3-grpc-tools) writes them into a cache directory named after a hash of the
.proto files and the generator's version, so a changed proto gets fresh stubs and an unchanged one
is compiled once. The generated modules are packages ``neurosurrogate.v1.*`` (the proto package),
so the cache directory is added to this package's ``__path__``: ``neurosurrogate.v1`` is then found
there, beside the hand-written modules.
"""
import hashlib
import os
import shutil
import sys
import tempfile
import types

_HERE = os.path.dirname(os.path.abspath(__file__))
_DEFAULT_PROTO_ROOT = os.path.join(_HERE, "..", "..", "proto", "src", "main", "proto")


def proto_root():
    """$NS_PROTO_ROOT, or proto/src/main/proto of the checkout this package lives in."""
    return os.path.normpath(os.environ.get("NS_PROTO_ROOT") or _DEFAULT_PROTO_ROOT)


def _proto_files(root):
    found = []
    for d, _, names in os.walk(os.path.join(root, "neurosurrogate")):
        found += [os.path.relpath(os.path.join(d, n), root) for n in names if n.endswith(".proto")]
    if not found:
        raise FileNotFoundError("no .proto files under %s/neurosurrogate (set NS_PROTO_ROOT)" % root)
    return sorted(found)


def _cache_home():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "neurosurrogate")


def _generate(root, files, target):
    from grpc_tools import protoc
    # Build beside the target and rename: concurrent first uses never see a half-written directory.
    os.makedirs(os.path.dirname(target), exist_ok=True)
    work = tempfile.mkdtemp(prefix=".stubs-", dir=os.path.dirname(target))
    try:
        args = ["protoc", "-I" + root, "--python_out=" + work, "--grpc_python_out=" + work] + files
        if protoc.main(args) != 0:
            raise RuntimeError("protoc failed on the .proto files under " + root)
        try:
            os.rename(work, target)
        except OSError:
            if not os.path.isdir(target):  # another process won the race: use its copy
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def stub_dir():
    """The directory holding the generated ``neurosurrogate/v1/*_pb2*.py``, generated when missing."""
    import grpc_tools
    root = proto_root()
    files = _proto_files(root)
    h = hashlib.sha256(getattr(grpc_tools, "__version__", "?").encode())
    for f in files:
        h.update(f.encode() + b"\0")
        with open(os.path.join(root, f), "rb") as fh:
            h.update(fh.read())
    name = "stubs-" + h.hexdigest()[:16]
    target = os.path.join(_cache_home(), name)
    if not os.path.isdir(target):
        try:
            _generate(root, files, target)
        except OSError:  # a home we cannot write: a per-user directory under /tmp instead
            target = os.path.join(tempfile.gettempdir(), "neurosurrogate-%d" % os.getuid(), name)
            if not os.path.isdir(target):
                _generate(root, files, target)
    return target


_loaded = None


def load():
    """Returns (pb, pb_grpc): the message modules merged in one namespace, and gateway_pb2_grpc."""
    global _loaded
    if _loaded is None:
        package = sys.modules[__name__.rsplit(".", 1)[0]]
        generated = os.path.join(stub_dir(), "neurosurrogate")
        if generated not in package.__path__:
            package.__path__.append(generated)
        from .v1 import gateway_pb2, gateway_pb2_grpc, inference_pb2, model_pb2, traces_pb2

        pb = types.SimpleNamespace()
        for module in (traces_pb2, model_pb2, inference_pb2, gateway_pb2):
            for name in module.DESCRIPTOR.message_types_by_name:
                setattr(pb, name, getattr(module, name))
        _loaded = (pb, gateway_pb2_grpc)
    return _loaded
