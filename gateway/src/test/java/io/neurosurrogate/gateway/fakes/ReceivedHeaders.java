package io.neurosurrogate.gateway.fakes;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The request headers (metadata) of every call a service double received, in arrival order. */
public final class ReceivedHeaders implements ServerInterceptor {
    /** One call: its full method name and a copy of its headers. */
    public record Call(String method, Metadata headers) {
        /** The value of ASCII header {@code name}, or null. */
        public String get(String name) {
            return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Metadata copy = new Metadata();
        copy.merge(headers);
        calls.add(new Call(call.getMethodDescriptor().getFullMethodName(), copy));
        return next.startCall(call, headers);
    }

    /** The calls of method {@code fullMethodName} ("package.Service/Method"), oldest first. */
    public List<Call> of(String fullMethodName) {
        return calls.stream().filter(c -> c.method().equals(fullMethodName)).toList();
    }
}
