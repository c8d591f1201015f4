package io.neurosurrogate.deploy;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings a service documents in its application.properties: every {@code key=value} line, and the
 * {@code #key=value} lines that show an optional setting without setting it. A deployment may set a service's
 * setting only through the environment-variable form of one of these keys (MicroProfile Config: every character
 * that is not a letter or digit becomes '_', then upper case), so a misspelt or invented variable fails a test
 * instead of being silently ignored by the service.
 */
final class ServiceConfig {
    private static final Pattern SETTING = Pattern.compile("^#?(%[\\w-]+\\.)?([a-z][\\w.\\-\"]*)\\s*=(.*)$");
    /** Read by the images' entrypoint (the JVM's options), not by the service's configuration. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS");

    private final String module;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> documentedKeys = new TreeSet<>();

    private ServiceConfig(String module) {
        this.module = module;
    }

    static ServiceConfig of(String module) {
        ServiceConfig c = new ServiceConfig(module);
        String text = Repo.read(Repo.path(module + "/src/main/resources/application.properties"));
        String continued = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (continued != null) {
                continued = line.endsWith("\\") ? continued : null;
                continue;
            }
            Matcher m = SETTING.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(2);
            c.documentedKeys.add(key);
            if (!line.startsWith("#") && m.group(1) == null) {
                c.values.put(key, m.group(3).strip());
            }
            if (line.endsWith("\\")) {
                continued = key;
            }
        }
        return c;
    }

    String module() {
        return module;
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** True if {@code variable} sets one of the service's documented settings (or the image's JAVA_OPTS). */
    boolean accepts(String variable) {
        return IMAGE_VARIABLES.contains(variable) || documentedKeys.stream().anyMatch(k -> envName(k).equals(variable));
    }

    /** The service's gRPC port in its default profile. */
    int grpcPort() {
        return Integer.parseInt(values.get("quarkus.grpc.server.port"));
    }

    Set<String> documentedKeys() {
        return documentedKeys;
    }
}
