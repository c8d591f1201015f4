"""Python client for NeuroSurrogate's gateway, and SurrogatePopulation for co-simulation.

Needs Debian's python3-grpcio, python3-grpc-tools, python3-protobuf and python3-numpy (no pip): the gRPC
stubs are generated from the project's .proto files at first use (see _stubs).

    from neurosurrogate import Client, SurrogatePopulation
    with Client("localhost:9000") as c, SurrogatePopulation(c, "iaf-demo", n=100) as pop:
        neurons, times_ms = pop.advance(5.0, [(0, 3, 1.2), (7, 90, 4.0)])
"""
from .client import Client, NeuroSurrogateError, Prediction
from .population import SurrogatePopulation

__all__ = ["Client", "NeuroSurrogateError", "Prediction", "SurrogatePopulation"]
