package io.neurosurrogate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs validate.mjs (test resources, k8s-validate/) under Node.js: every object against the Kubernetes OpenAPI
 * schema of its kind, with the validators of the npm package kubernetes-models (pinned by package-lock.json and
 * installed with {@code npm ci} into target/ on first use).
 */
final class SchemaValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Repo.path("deploy/target/k8s-validate");
    private static boolean installed;

    /** One object's verdict. */
    record Verdict(String apiVersion, String kind, String name, String status, List<String> errors) {
        @Override
        public String toString() {
            return kind + "/" + name + " (" + apiVersion + "): " + status + (errors.isEmpty() ? "" : " " + errors);
        }
    }

    private SchemaValidator() {
    }

    static synchronized List<Verdict> validate(String yaml) {
        install();
        String out = Repo.run(List.of("node", "validate.mjs"), DIR, yaml, Duration.ofMinutes(2)).requireSuccess().stdout();
        List<Verdict> verdicts = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                List<String> errors = new ArrayList<>();
                n.path("errors").forEach(e -> errors.add(e.asText()));
                verdicts.add(new Verdict(n.path("apiVersion").asText(null), n.path("kind").asText(null),
                        n.path("name").asText(null), n.path("status").asText(), errors));
            } catch (IOException e) {
                throw new AssertionError("validate.mjs printed a line that is not JSON: " + line, e);
            }
        }
        return verdicts;
    }

    private static void install() {
        if (installed) {
            return;
        }
        try {
            Files.createDirectories(DIR);
            for (String f : List.of("package.json", "package-lock.json", "validate.mjs")) {
                try (InputStream in = SchemaValidator.class.getResourceAsStream("/k8s-validate/" + f)) {
                    if (in == null) {
                        throw new IllegalStateException("missing test resource k8s-validate/" + f);
                    }
                    Files.copy(in, DIR.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/kubernetes-models"))) {
            Repo.run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), DIR, null, Duration.ofMinutes(5))
                    .requireSuccess();
        }
        installed = true;
    }
}
