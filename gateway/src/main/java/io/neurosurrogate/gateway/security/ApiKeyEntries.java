package io.neurosurrogate.gateway.security;

import io.neurosurrogate.gateway.limits.KeyLimits;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads key entries, one per line (or per item of a comma list):
 * <pre>
 * # comment
 * &lt;key-id&gt;:&lt;sha256-hex-of-key&gt;:&lt;scope&gt;[+&lt;scope&gt;...][:rps=N][:burst=N][:streams=N]
 * revoked:&lt;key-id&gt;
 * </pre>
 * A {@code revoked:} line refuses that key id wherever it is configured (inline or in the file). A line
 * that does not parse is reported by number, never quoted: a slip could have pasted a key into it.
 */
public final class ApiKeyEntries {
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final String REVOKED = "revoked:";

    /** The keys read, the ids revoked, and why the other lines were left out. */
    public record Parsed(List<ApiKey> keys, Set<String> revokedIds, List<String> problems) {
    }

    private ApiKeyEntries() {
    }

    /** @param source where the lines come from, for the problems' wording ("api-keys-file /x", "ns.gateway.security.api-keys") */
    public static Parsed parse(String source, List<String> lines) {
        List<ApiKey> keys = new ArrayList<>();
        Set<String> revoked = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " entry " + (i + 1);
            try {
                if (line.startsWith(REVOKED)) {
                    revoked.add(keyId(line.substring(REVOKED.length()).strip()));
                    continue;
                }
                ApiKey key = entry(line);
                if (!ids.add(key.id())) {
                    throw new IllegalArgumentException("key id '" + key.id() + "' is listed twice");
                }
                keys.add(key);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        return new Parsed(List.copyOf(keys), Set.copyOf(revoked), List.copyOf(problems));
    }

    private static ApiKey entry(String line) {
        String[] fields = line.split(":");
        if (fields.length < 3) {
            throw new IllegalArgumentException("expected <key-id>:<sha256-hex-of-key>:<scope>[+<scope>...][:rps=N][:burst=N][:streams=N]");
        }
        String id = keyId(fields[0].strip());
        String hash = fields[1].strip();
        if (!SHA256_HEX.matcher(hash).matches()) {
            throw new IllegalArgumentException("key '" + id + "': the second field must be the 64 hex digits of the key's SHA-256, not the key");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : fields[2].split("\\+")) {
            scopes.add(Scope.parse(s));
        }
        OptionalDouble rps = OptionalDouble.empty();
        OptionalInt burst = OptionalInt.empty();
        OptionalInt streams = OptionalInt.empty();
        for (int f = 3; f < fields.length; f++) {
            String[] kv = fields[f].strip().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("key '" + id + "': expected name=value, got '" + fields[f] + "'");
            }
            switch (kv[0]) {
                case "rps" -> rps = OptionalDouble.of(positive(id, kv[0], Double.parseDouble(number(id, kv))));
                case "burst" -> burst = OptionalInt.of((int) positive(id, kv[0], Integer.parseInt(number(id, kv))));
                case "streams" -> streams = OptionalInt.of((int) positive(id, kv[0], Integer.parseInt(number(id, kv))));
                default -> throw new IllegalArgumentException("key '" + id + "': unknown field '" + kv[0] + "' (valid: rps, burst, streams)");
            }
        }
        return new ApiKey(id, HexFormat.of().parseHex(hash.toLowerCase(java.util.Locale.ROOT)), Set.copyOf(scopes),
                new KeyLimits(rps, burst, streams));
    }

    private static String keyId(String id) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a key id is 1 to 64 of A-Z a-z 0-9 . _ -");
        }
        return id;
    }

    private static String number(String id, String[] kv) {
        if (!kv[1].strip().matches("[0-9]+(\\.[0-9]+)?")) {
            throw new IllegalArgumentException("key '" + id + "': " + kv[0] + " must be a number, got '" + kv[1] + "'");
        }
        return kv[1].strip();
    }

    private static double positive(String id, String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException("key '" + id + "': " + name + " must be > 0");
        }
        return value;
    }
}
