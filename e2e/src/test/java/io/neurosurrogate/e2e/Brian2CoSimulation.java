package io.neurosurrogate.e2e;

import io.neurosurrogate.proto.v1.ModelVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * python/examples/brian2_cosim.py (Debian's python3-brian and python3-grpcio) against a served model:
 * Brian2 Poisson and LIF populations send spikes into surrogate neurons through the gateway's Stream call,
 * and the surrogates' spikes come back to the LIF population, in lock-step 5 ms chunks. Runs it three
 * times, short: twice with the same seed, once without the feedback.
 */
final class Brian2CoSimulation {
    private static final Pattern RESULT = Pattern.compile("(?m)^RESULT (.*)$");
    private static final List<String> SHORT_RUN = List.of("--neurons", "20", "--duration-ms", "300", "--chunk-ms", "5", "--seed", "11");

    private Brian2CoSimulation() {
    }

    /** Spikes flow both ways, the feedback changes the LIF population's activity, and a seed fixes every spike. */
    static void runsAgainst(String gatewayAddress, String apiKey, ModelVersion model) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("brian2-cosim");
        Run first = run(gatewayAddress, apiKey, model, dir.resolve("first.json"), false);
        Run again = run(gatewayAddress, apiKey, model, dir.resolve("again.json"), false);
        Run open = run(gatewayAddress, apiKey, model, dir.resolve("no-feedback.json"), true);

        assertThat(first.count("neurons")).isEqualTo(20);
        assertThat(first.count("spikes_into_surrogates")).as("Brian2 spikes into the surrogates").isGreaterThan(0);
        assertThat(first.count("surrogate_spikes")).as("surrogate output spikes").isGreaterThan(0);
        assertThat(first.count("spikes_from_surrogates")).as("surrogate spikes delivered to the LIF population").isGreaterThan(0);
        assertThat(open.count("spikes_from_surrogates")).as("--no-feedback delivers none").isZero();
        assertThat(first.count("lif_spikes")).as("the excitatory feedback raises the LIF population's activity")
                .isGreaterThan(open.count("lif_spikes"));
        assertThat(again.result).as("same seed, same counts").isEqualTo(first.result);
        assertThat(again.spikes).as("same seed, same spikes (surrogate and LIF ids and times)").isEqualTo(first.spikes);
    }

    private record Run(String result, Map<String, Long> counts, String spikes) {
        long count(String key) {
            assertThat(counts).as(result).containsKey(key);
            return counts.get(key);
        }
    }

    private static Run run(String gatewayAddress, String apiKey, ModelVersion model, Path out, boolean noFeedback)
            throws IOException, InterruptedException {
        Path script = Path.of("..", "python", "examples", "brian2_cosim.py").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--target", gatewayAddress,
                "--model", model.getModelName(), "--version", Integer.toString(model.getVersion()), "--out", out.toString()));
        command.addAll(SHORT_RUN);
        if (noFeedback) {
            command.add("--no-feedback");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NS_API_KEY", apiKey); // never on a command line
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("brian2_cosim.py finished").isTrue();
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        Matcher m = RESULT.matcher(output);
        assertThat(m.find()).as("a RESULT line in " + output).isTrue();
        Map<String, Long> counts = new HashMap<>();
        for (String field : m.group(1).trim().split("\\s+")) {
            String[] kv = field.split("=", 2);
            counts.put(kv[0], Long.parseLong(kv[1]));
        }
        return new Run(m.group(1), counts, Files.readString(out));
    }
}
