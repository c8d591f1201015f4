package io.neurosurrogate.gateway.limits;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

import java.time.Duration;

/**
 * A RESOURCE_EXHAUSTED status that tells the caller when to try again: the wait is in the message for people
 * and in a {@code google.rpc.RetryInfo} detail ({@code grpc-status-details-bin} trailer) for client libraries.
 */
final class RetryableRefusal {
    private RetryableRefusal() {
    }

    static StatusRuntimeException of(String message, Duration retryDelay) {
        RetryInfo retry = RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
                .setSeconds(retryDelay.getSeconds()).setNanos(retryDelay.getNano())).build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE).setMessage(message).addDetails(Any.pack(retry)).build());
    }
}
