package io.neurosurrogate.core;

import java.util.HashMap;
import java.util.Map;

/**
 * The project's machine-readable output lines ({@code RESULT key=value ...}, and the benchmark child
 * processes' {@code SIM ...} / {@code GEMM ...}): whitespace-separated tokens, the first word a tag.
 */
public final class ResultLines {

    private ResultLines() {
    }

    /** The {@code key=value} tokens of {@code line}; tokens without a key (the tag) are skipped. */
    public static Map<String, String> fields(String line) {
        Map<String, String> out = new HashMap<>();
        for (String token : line.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                out.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return out;
    }
}
