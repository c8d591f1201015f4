package io.neurosurrogate.gateway.grpc;

/** The key texts whose hashes the %test configuration lists (application.properties), by key id. */
final class TestKeys {
    /** test-admin: every scope. */
    static final String ADMIN = "nsk_test_admin_000000000000000000000000";
    /** test-predict: predict only. */
    static final String PREDICT = "nsk_test_predict_0000000000000000000000";
    /** test-train: train only. */
    static final String TRAIN = "nsk_test_train_00000000000000000000000000";
    /** test-limited: predict+train, 2 calls/s, burst 2. */
    static final String LIMITED = "nsk_test_limited_0000000000000000000000";
    /** test-streams: predict, 2 open streams at most. */
    static final String STREAMS = "nsk_test_streams_0000000000000000000000";

    private TestKeys() {
    }
}
