package io.neurosurrogate.gateway.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads a configured list of replica addresses ({@code ns.gateway.trainer}, {@code ns.gateway.inference}). */
final class ReplicaAddresses {
    private ReplicaAddresses() {
    }

    /**
     * The configured addresses, trimmed, blanks dropped; a replica named twice, or none at all, is a
     * configuration error naming {@code key}.
     */
    static List<String> parse(String key, String service, List<String> configured) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String raw : configured) {
            String address = raw.trim();
            if (address.isEmpty()) {
                continue;
            }
            if (!seen.add(address)) {
                throw new IllegalArgumentException(key + " names " + address + " twice: " + String.join(",", configured));
            }
            out.add(address);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(key + " names no " + service);
        }
        return out;
    }
}
