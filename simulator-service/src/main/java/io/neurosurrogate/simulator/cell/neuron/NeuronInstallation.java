package io.neurosurrogate.simulator.cell.neuron;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A NEURON installation usable from Java: a Python 3 interpreter that can {@code import neuron}
 * (by default Debian's {@code /usr/bin/python3}, not whatever python is first on the PATH) and
 * {@code nrnivmodl} to compile NMODL mechanisms.
 *
 * <p>Debian's NEURON 8.2 {@code nrnivmodl} points at a makefile that does not exist and its default
 * target also links a {@code special} executable that fails to build; this class runs a patched copy
 * that uses {@code /usr/lib/nrn/nrnmech_makefile libdir=/usr/lib/nrn} and builds only the shared
 * library {@code libnrnmech.so} (an unpatched, working nrnivmodl elsewhere is used as it is).
 *
 * <p>Compiled mechanisms are cached under {@code ${java.io.tmpdir}/nsurr-nrnmech/<sha256>}, the hash
 * taken over the .mod file names and contents, so a mod folder is compiled once per machine. A build
 * happens in a private temporary directory that is atomically renamed into place, so concurrent
 * builds (threads or JVMs) never see a half-built library.
 */
public final class NeuronInstallation {
    public static final Path DEFAULT_PYTHON = Path.of("/usr/bin/python3");
    public static final Path DEFAULT_NRNIVMODL = Path.of("/usr/bin/nrnivmodl");
    private static final Path DEBIAN_MAKEFILE = Path.of("/usr/lib/nrn/nrnmech_makefile");
    /** Bumped whenever the way mechanisms are compiled changes, so old cache entries are not reused. */
    private static final String CACHE_VERSION = "nsurr-nrnmech-1-lcc";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration COMPILE_TIMEOUT = Duration.ofMinutes(10);
    private static final ConcurrentHashMap<String, Object> BUILD_LOCKS = new ConcurrentHashMap<>();

    private final Path python;
    private final Path nrnivmodl;
    private final Path cacheRoot;
    private volatile String problem;
    private volatile boolean probed;

    /** Debian's paths and the default cache under {@code java.io.tmpdir}. */
    public static NeuronInstallation system() {
        return new NeuronInstallation(DEFAULT_PYTHON, DEFAULT_NRNIVMODL,
                Path.of(System.getProperty("java.io.tmpdir"), "nsurr-nrnmech"));
    }

    public NeuronInstallation(Path python, Path nrnivmodl, Path cacheRoot) {
        this.python = python;
        this.nrnivmodl = nrnivmodl;
        this.cacheRoot = cacheRoot;
    }

    public Path python() {
        return python;
    }

    public Path cacheRoot() {
        return cacheRoot;
    }

    /** True if the interpreter exists and can {@code import neuron} (probed once, then remembered). */
    public boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Why NEURON cannot be used, or empty if it can. */
    public Optional<String> unavailableReason() {
        if (!probed) {
            synchronized (this) {
                if (!probed) {
                    problem = probe();
                    probed = true;
                }
            }
        }
        return Optional.ofNullable(problem);
    }

    /** Throws a {@link NeuronException} saying what is missing unless NEURON is usable. */
    public void requireAvailable() {
        unavailableReason().ifPresent(p -> {
            throw new NeuronException("NEURON is not available: " + p);
        });
    }

    private String probe() {
        if (!Files.isExecutable(python)) {
            return "no Python interpreter at " + python;
        }
        ProcessRunner.Result r;
        try {
            Path dir = Files.createTempDirectory("nsurr-nrnprobe-");
            try {
                r = ProcessRunner.run(List.of(python.toString(), "-c", "import neuron; print(neuron.__version__)"),
                        dir, PROBE_TIMEOUT);
            } finally {
                TempDirs.deleteRecursively(dir);
            }
        } catch (IOException | NeuronException e) {
            return python + " could not be run: " + e.getMessage();
        }
        if (r.exitCode() != 0) {
            return python + " cannot import neuron: " + r.tail(2000);
        }
        return null;
    }

    /**
     * Compiles every {@code *.mod} file directly in {@code modDir} (or reuses the cached build of
     * identical files) and returns the path of the resulting {@code libnrnmech.so}.
     */
    public Path compileMechanisms(Path modDir) {
        List<Path> mods = modFiles(modDir);
        if (mods.isEmpty()) {
            throw new IllegalArgumentException(modDir + ": no .mod files to compile");
        }
        String hash = hash(mods);
        Path target = cacheRoot.resolve(hash);
        Optional<Path> cached = findLibrary(target);
        if (cached.isPresent()) {
            return cached.get();
        }
        synchronized (BUILD_LOCKS.computeIfAbsent(hash, k -> new Object())) {
            cached = findLibrary(target);
            if (cached.isPresent()) {
                return cached.get();
            }
            return build(mods, target);
        }
    }

    private Path build(List<Path> mods, Path target) {
        Path build = null;
        try {
            Files.createDirectories(cacheRoot);
            build = Files.createTempDirectory(cacheRoot, ".build-");
            for (Path m : mods) {
                Files.copy(m, build.resolve(m.getFileName().toString()));
            }
            Path script = build.resolve("nrnivmodl-nsurr");
            Files.writeString(script, patchedNrnivmodl(), StandardCharsets.UTF_8);
            ProcessRunner.Result r = ProcessRunner.run(List.of("bash", script.toString()), build, COMPILE_TIMEOUT);
            Optional<Path> lib = findLibrary(build);
            if (lib.isEmpty()) {
                throw new NeuronException("nrnivmodl did not build libnrnmech.so from " + mods.size()
                        + " mod files (exit " + r.exitCode() + "):\n" + r.tail(6000));
            }
            try {
                Files.move(build, target, StandardCopyOption.ATOMIC_MOVE);
                build = null;
            } catch (IOException e) {
                // normally: another thread or process finished the same build first; use theirs, drop ours
                if (findLibrary(target).isEmpty()) {
                    throw new NeuronException("cannot move the compiled mechanisms to " + target + ": " + e, e);
                }
            }
            return findLibrary(target).orElseThrow(() -> new NeuronException("compiled library vanished from " + target));
        } catch (IOException e) {
            throw new NeuronException("cannot compile mechanisms into " + cacheRoot + ": " + e.getMessage(), e);
        } finally {
            TempDirs.deleteRecursively(build);
        }
    }

    /** The nrnivmodl script text, with Debian's broken paths and default target fixed. */
    private String patchedNrnivmodl() throws IOException {
        if (!Files.isReadable(nrnivmodl)) {
            throw new NeuronException("nrnivmodl not found at " + nrnivmodl);
        }
        String text = Files.readString(nrnivmodl, StandardCharsets.UTF_8);
        if (Files.isReadable(DEBIAN_MAKEFILE)) {
            text = text.replace("\"${bindir}/nrnmech_makefile\"", DEBIAN_MAKEFILE + " libdir=" + DEBIAN_MAKEFILE.getParent());
        }
        // LC_ALL=C: the mod files are globbed, compiled and registered in byte order, which fixes the
        // order NEURON advances mechanism states in (the Java engine uses the same order).
        return "export LC_ALL=C\n" + text.replace("\"LinkCoreNEURON=$LinkCoreNEURON\" special", "\"LinkCoreNEURON=$LinkCoreNEURON\" mech_lib_shared");
    }

    /** {@code <dir>/<arch>/libnrnmech.so} (the arch folder is x86_64, aarch64, ... depending on the machine). */
    static Optional<Path> findLibrary(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                    .map(d -> d.resolve("libnrnmech.so"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static List<Path> modFiles(Path modDir) {
        if (!Files.isDirectory(modDir)) {
            throw new IllegalArgumentException(modDir + ": not a directory of .mod files");
        }
        try (Stream<Path> files = Files.list(modDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".mod") && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** sha256 over the cache version and each file's name and contents, in name order. */
    static String hash(List<Path> mods) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(CACHE_VERSION.getBytes(StandardCharsets.UTF_8));
            List<Path> sorted = new ArrayList<>(mods);
            sorted.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            for (Path m : sorted) {
                byte[] name = m.getFileName().toString().getBytes(StandardCharsets.UTF_8);
                byte[] body = Files.readAllBytes(m);
                md.update((byte) 0);
                md.update(name);
                md.update((byte) 0);
                md.update(Long.toString(body.length).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(body);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
