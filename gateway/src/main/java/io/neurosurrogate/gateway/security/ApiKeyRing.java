package io.neurosurrogate.gateway.security;

import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.gateway.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys the gateway accepts: the inline entries ({@code ns.gateway.security.api-keys}) plus those of the key
 * file ({@code ns.gateway.security.api-keys-file}, e.g. a mounted Kubernetes secret). The file is looked at
 * again, by modification time and size, at most once per {@code keys-file-check-interval}, so that removing a
 * line (or adding {@code revoked:<key-id>}) revokes a key without a restart.
 *
 * <p>Inline entries that do not parse stop the gateway at start; a file that does not parse when re-read
 * loses its bad lines (logged by line number) and keeps the good ones, failing closed for the bad ones only.
 */
@ApplicationScoped
public class ApiKeyRing {
    private static final Logger LOG = Logger.getLogger(ApiKeyRing.class);
    private static final String INLINE = "ns.gateway.security.api-keys";

    private final ApiKeyEntries.Parsed inline;
    private final Optional<Path> file;
    private final long checkIntervalNanos;
    private volatile Snapshot snapshot;

    /** The keys in force and the file state they were read from. */
    private record Snapshot(List<ApiKey> keys, long checkedAtNanos, FileState fileState) {
    }

    private record FileState(long modifiedMillis, long size, boolean exists) {
        static final FileState NONE = new FileState(-1, -1, false);
    }

    @Inject
    public ApiKeyRing(GatewayConfig config) {
        GatewayConfig.Security security = config.security();
        this.inline = ApiKeyEntries.parse(INLINE, security.apiKeys().orElse(List.of()));
        if (!inline.problems().isEmpty()) {
            throw new IllegalStateException("bad API key entries: " + String.join("; ", inline.problems()));
        }
        this.file = security.apiKeysFile().filter(s -> !s.isBlank()).map(Path::of);
        this.checkIntervalNanos = security.keysFileCheckInterval().toNanos();
        this.snapshot = load(System.nanoTime(), fileState());
    }

    void logAtStart(@Observes StartupEvent start, GatewayConfig config) {
        if (!config.security().enabled()) {
            LOG.warn("ns.gateway.security.enabled=false: every caller is admitted without an API key and no per-key limits apply");
        } else if (snapshot.keys().isEmpty()) {
            LOG.warnf("no API keys are configured (%s, ns.gateway.security.api-keys-file%s): every call except health checks is refused",
                    INLINE, file.map(f -> " = " + f).orElse(""));
        } else {
            LOG.infof("API keys accepted: %s", String.join(", ", snapshot.keys().stream().map(ApiKey::id).toList()));
        }
    }

    /** The configured key whose hash matches {@code presented}, compared in constant time, if it is not revoked. */
    public Optional<ApiKey> find(String presented) {
        byte[] hash = HexFormat.of().parseHex(Sha256.of(presented.getBytes(StandardCharsets.UTF_8)));
        ApiKey match = null;
        for (ApiKey k : current()) { // every entry is compared, so the time taken does not tell which one matched
            if (MessageDigest.isEqual(k.sha256(), hash)) {
                match = k;
            }
        }
        return Optional.ofNullable(match);
    }

    /** Whether any key at all is in force (none: every call but health is refused). */
    public boolean anyConfigured() {
        return !current().isEmpty();
    }

    private List<ApiKey> current() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        if (file.isEmpty() || now - s.checkedAtNanos() < checkIntervalNanos) {
            return s.keys();
        }
        synchronized (this) {
            s = snapshot;
            if (now - s.checkedAtNanos() >= checkIntervalNanos) {
                FileState state = fileState();
                snapshot = state.equals(s.fileState()) ? new Snapshot(s.keys(), now, state) : load(now, state);
            }
            return snapshot.keys();
        }
    }

    private Snapshot load(long now, FileState state) {
        List<ApiKey> keys = new ArrayList<>(inline.keys());
        Set<String> revoked = new HashSet<>(inline.revokedIds());
        if (file.isPresent()) {
            try {
                ApiKeyEntries.Parsed fromFile = ApiKeyEntries.parse("api-keys-file " + file.get(), Files.readAllLines(file.get()));
                fromFile.problems().forEach(p -> LOG.error(p + "; that line is ignored"));
                Set<String> inlineIds = new HashSet<>(inline.keys().stream().map(ApiKey::id).toList());
                for (ApiKey k : fromFile.keys()) {
                    if (inlineIds.contains(k.id())) {
                        LOG.errorf("api-keys-file %s: key id '%s' is also configured inline; the file's entry is ignored", file.get(), k.id());
                    } else {
                        keys.add(k);
                    }
                }
                revoked.addAll(fromFile.revokedIds());
            } catch (NoSuchFileException e) {
                LOG.warnf("api-keys-file %s does not exist: none of its keys are accepted", file.get());
            } catch (IOException e) {
                LOG.errorf("api-keys-file %s cannot be read (%s): none of its keys are accepted", file.get(), e.toString());
            }
        }
        keys.removeIf(k -> revoked.contains(k.id()));
        if (snapshot != null) {
            LOG.infof("API keys reloaded from %s: %s", file.map(Path::toString).orElse(INLINE),
                    String.join(", ", keys.stream().map(ApiKey::id).toList()));
        }
        return new Snapshot(List.copyOf(keys), now, state);
    }

    private FileState fileState() {
        if (file.isEmpty()) {
            return FileState.NONE;
        }
        try {
            return new FileState(Files.getLastModifiedTime(file.get()).toMillis(), Files.size(file.get()), true);
        } catch (IOException e) {
            return FileState.NONE;
        }
    }
}
