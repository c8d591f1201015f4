package io.neurosurrogate.gateway.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a service answer undecodable request bytes with INVALID_ARGUMENT "malformed request: ...".
 *
 * <p>grpc-java closes a call whose request marshaller throws with UNKNOWN "Application error processing
 * RPC" (ServerImpl.internalClose), whatever the marshaller threw, which blames the server for the caller's
 * mistake. So the request marshaller here never throws: it returns the {@link Parsed} outcome, and a thin
 * handler in front of the generated one closes the call with INVALID_ARGUMENT when parsing failed, or
 * passes the message on when it did not.
 */
final class StrictRequestParsing {

    private StrictRequestParsing() {
    }

    static ServerServiceDefinition apply(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            methods.add(strict(m));
        }
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> m : methods) {
            descriptor.addMethod(m.getMethodDescriptor());
        }
        // The builder insists that each bound method is the very descriptor instance of the service.
        ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        for (ServerMethodDefinition<?, ?> m : methods) {
            out.addMethod(m);
        }
        return out.build();
    }

    private static <Q, R> ServerMethodDefinition<Parsed<Q>, R> strict(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> md = method.getMethodDescriptor();
        MethodDescriptor<Parsed<Q>, R> strict = md.toBuilder(new ParseOutcomeMarshaller<>(md.getRequestMarshaller()), md.getResponseMarshaller())
                .build();
        return ServerMethodDefinition.create(strict, new RejectMalformed<>(md, method.getServerCallHandler()));
    }

    /** A request as parsed: the message, or why its bytes are not one. */
    record Parsed<Q>(Q message, Status failure) {
    }

    /** Parses with the generated marshaller and keeps a failure as a value instead of throwing it. */
    static final class ParseOutcomeMarshaller<Q> implements Marshaller<Parsed<Q>> {
        private final Marshaller<Q> delegate;

        ParseOutcomeMarshaller(Marshaller<Q> delegate) {
            this.delegate = delegate;
        }

        @Override
        public InputStream stream(Parsed<Q> value) {
            return delegate.stream(value.message());
        }

        @Override
        public Parsed<Q> parse(InputStream stream) {
            try {
                return new Parsed<>(delegate.parse(stream), null);
            } catch (StatusRuntimeException e) {
                Throwable cause = e.getStatus().getCause() != null ? e.getStatus().getCause() : e;
                return new Parsed<>(null, malformed(e.getStatus().getDescription(), cause));
            } catch (RuntimeException e) {
                return new Parsed<>(null, malformed(e.getClass().getSimpleName(), e));
            }
        }

        private static Status malformed(String what, Throwable cause) {
            String detail = cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
            return Status.INVALID_ARGUMENT.withDescription("malformed request: " + what + detail);
        }
    }

    /** Closes the call on a malformed request; otherwise hands the message to the generated handler. */
    static final class RejectMalformed<Q, R> implements ServerCallHandler<Parsed<Q>, R> {
        private final MethodDescriptor<Q, R> method;
        private final ServerCallHandler<Q, R> next;

        RejectMalformed(MethodDescriptor<Q, R> method, ServerCallHandler<Q, R> next) {
            this.method = method;
            this.next = next;
        }

        @Override
        public ServerCall.Listener<Parsed<Q>> startCall(ServerCall<Parsed<Q>, R> call, Metadata headers) {
            ServerCall.Listener<Q> delegate = next.startCall(new TypedCall<>(call, method), headers);
            return new ServerCall.Listener<>() {
                private boolean rejected;

                @Override
                public void onMessage(Parsed<Q> request) {
                    if (rejected) {
                        return;
                    }
                    if (request.failure() != null) {
                        rejected = true;
                        call.close(request.failure(), new Metadata());
                        return;
                    }
                    delegate.onMessage(request.message());
                }

                @Override
                public void onHalfClose() {
                    if (!rejected) {
                        delegate.onHalfClose();
                    }
                }

                @Override
                public void onReady() {
                    if (!rejected) {
                        delegate.onReady();
                    }
                }

                @Override
                public void onCancel() {
                    delegate.onCancel();
                }

                @Override
                public void onComplete() {
                    delegate.onComplete();
                }
            };
        }
    }

    /** The call as the generated handler expects it: typed by the plain request message. */
    static final class TypedCall<Q, R> extends ServerCall<Q, R> {
        private final ServerCall<Parsed<Q>, R> call;
        private final MethodDescriptor<Q, R> method;

        TypedCall(ServerCall<Parsed<Q>, R> call, MethodDescriptor<Q, R> method) {
            this.call = call;
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
            call.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            call.sendHeaders(headers);
        }

        @Override
        public void sendMessage(R message) {
            call.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            call.close(status, trailers);
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            call.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            call.setCompression(compressor);
        }

        @Override
        public SecurityLevel getSecurityLevel() {
            return call.getSecurityLevel();
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        @Override
        public String getAuthority() {
            return call.getAuthority();
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }
}
