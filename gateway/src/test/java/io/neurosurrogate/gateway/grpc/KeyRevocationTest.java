package io.neurosurrogate.gateway.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.gateway.fakes.FakeDownstreams;
import io.neurosurrogate.proto.v1.ListModelsRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys in the key file (%test: target/test-api-keys/keys) take effect and stop working without a restart: when
 * their line goes, or when a {@code revoked:} line names them.
 */
@QuarkusTest
@WithTestResource(FakeDownstreams.class)
class KeyRevocationTest {
    private static final String FILE_KEY = "nsk_file_key_for_revocation_test_00001";
    private static final String FILE_ENTRY = "file-key:" + Sha256.of(FILE_KEY.getBytes(StandardCharsets.UTF_8)) + ":predict";

    @AfterEach
    void emptyTheKeyFile() throws IOException {
        write("# no keys\n");
    }

    @Test
    void aKeyAddedToTheFileWorksAndStopsWorkingWithinTwoSecondsOfItsRemoval() throws Exception {
        write("# test keys\n" + FILE_ENTRY + "\n");
        try (GatewayChannel caller = new GatewayChannel(FILE_KEY)) {
            assertThat(codeWithin(caller, Status.Code.OK, 3)).as("the new key is accepted").isEqualTo(Status.Code.OK);

            write("# test keys: file-key removed\n");
            long removed = System.nanoTime();
            Status.Code code = codeWithin(caller, Status.Code.UNAUTHENTICATED, 3);

            assertThat(code).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat((System.nanoTime() - removed) / 1e9).as("seconds until refused").isLessThan(2.2);
        }
    }

    @Test
    void aRevokedLineRefusesAKeyConfiguredInline() throws Exception {
        try (GatewayChannel caller = new GatewayChannel(TestKeys.PREDICT)) {
            assertThat(codeWithin(caller, Status.Code.OK, 3)).isEqualTo(Status.Code.OK);

            write("revoked:test-predict\n");

            assertThat(codeWithin(caller, Status.Code.UNAUTHENTICATED, 3)).isEqualTo(Status.Code.UNAUTHENTICATED);
            write("# no keys\n");
            assertThat(codeWithin(caller, Status.Code.OK, 3)).as("accepted again once the line is gone").isEqualTo(Status.Code.OK);
        }
    }

    /** Calls ListModels every 50 ms until it ends with {@code expected} or {@code seconds} pass; the last outcome. */
    private static Status.Code codeWithin(GatewayChannel caller, Status.Code expected, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Status.Code code;
        do {
            try {
                caller.blocking().listModels(ListModelsRequest.getDefaultInstance());
                code = Status.Code.OK;
            } catch (StatusRuntimeException e) {
                code = e.getStatus().getCode();
            }
            if (code != expected) {
                Thread.sleep(50);
            }
        } while (code != expected && System.nanoTime() < until);
        return code;
    }

    /** Replaces the key file at once, as a Kubernetes secret update does. */
    private static void write(String content) throws IOException {
        Path file = Path.of(ConfigProvider.getConfig().getValue("ns.gateway.security.api-keys-file", String.class));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "keys", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
