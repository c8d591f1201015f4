package io.neurosurrogate.gateway.grpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Fresh self-signed certificates for the TLS tests, made with the JDK's keytool (PKCS12 stores, PEM certificates). */
final class TestCertificates {
    static final String PASSWORD = "tls-test-password";

    private TestCertificates() {
    }

    /**
     * A key store {@code <name>.p12} in {@code dir} with an EC key pair for 127.0.0.1/localhost, and its certificate
     * as {@code <name>.crt} (PEM); both replaced if present.
     */
    static Path keyPair(Path dir, String name) {
        Path store = dir.resolve(name + ".p12");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(store);
            keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                    "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD,
                    "-file", dir.resolve(name + ".crt").toString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not make a test certificate with keytool", e);
        }
        return store;
    }

    /** A trust store {@code <name>.p12} in {@code dir} holding the certificate file {@code certificate}. */
    static Path trustStore(Path dir, String name, Path certificate) {
        Path store = dir.resolve(name + ".p12");
        try {
            Files.deleteIfExists(store);
            keytool("-importcert", "-noprompt", "-alias", "trusted", "-file", certificate.toString(), "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", PASSWORD);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not make a test trust store with keytool", e);
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
