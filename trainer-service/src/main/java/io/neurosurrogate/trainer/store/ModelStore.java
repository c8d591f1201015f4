package io.neurosurrogate.trainer.store;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.Sha256;
import io.neurosurrogate.proto.v1.ModelVersion;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Exported surrogates: {@code <root>/<model>/<version>/model.onnx}, its sha256, the evaluation report
 * files (metrics.json, plots) and its {@link ModelVersion} (protobuf) beside it. Versions count 1, 2,
 * ... per model name. The
 * {@code model-version.pb} file is written last, so its presence marks a complete version; a version
 * directory without it (a crash mid-write) is ignored and its number never reused.
 */
public final class ModelStore {
    private static final Logger LOG = Logger.getLogger(ModelStore.class);
    static final String ONNX_FILE = "model.onnx";
    static final String SHA256_FILE = "model.onnx.sha256";
    static final String VERSION_FILE = "model-version.pb";
    /** Report file names: plain lower-case file names, never a path. */
    private static final Pattern REPORT_FILE = Pattern.compile("[a-z0-9_.-]{1,128}");
    private static final Set<String> RESERVED = Set.of(ONNX_FILE, SHA256_FILE, VERSION_FILE);

    private final Path root;
    /** model name -> version -> complete version; guarded by {@code this}. */
    private final Map<String, TreeMap<Integer, ModelVersion>> versions = new TreeMap<>();
    /** model name -> highest version directory seen, complete or not; guarded by {@code this}. */
    private final Map<String, Integer> highestDirectory = new HashMap<>();

    private ModelStore(Path root) {
        this.root = root;
    }

    /** Opens (creating if needed) the store under {@code root} and indexes the versions already there. */
    public static ModelStore open(Path root) throws IOException {
        DurableFiles.createDirectoriesDurably(root);
        ModelStore store = new ModelStore(root);
        store.scan();
        return store;
    }

    /**
     * Stores {@code onnx} as the next version of {@code modelName}.
     *
     * @param template card, trainer address, creation time and job id; name, version, path, sha256
     *                 and size are filled in here
     */
    public ModelVersion add(String modelName, byte[] onnx, ModelVersion template) throws IOException {
        return add(modelName, onnx, Map.of(), template);
    }

    /**
     * Stores {@code onnx} and its report files (file name -> bytes) as the next version of
     * {@code modelName}; the version lists the report files, sorted, in {@code report_files}.
     *
     * @param template card, trainer address, creation time and job id; name, version, path, sha256,
     *                 size and report file names are filled in here
     * @throws IllegalArgumentException for a report file name outside {@code [a-z0-9_.-]+}, {@code .}
     *                 or {@code ..}, or one of the store's own file names; nothing is written then
     */
    public synchronized ModelVersion add(String modelName, byte[] onnx, Map<String, byte[]> reportFiles, ModelVersion template)
            throws IOException {
        StoreNames.requireSafe("model_name", modelName);
        TreeMap<String, byte[]> reports = new TreeMap<>(reportFiles);
        for (String name : reports.keySet()) {
            requireReportFileName(name);
        }
        int version = highestDirectory.getOrDefault(modelName, 0) + 1;
        Path dir = root.resolve(modelName).resolve(Integer.toString(version));
        highestDirectory.put(modelName, version);
        DurableFiles.createDirectoriesDurably(dir);
        String sha = Sha256.of(onnx);
        DurableFiles.writeAtomically(dir.resolve(ONNX_FILE), onnx);
        DurableFiles.writeAtomically(dir.resolve(SHA256_FILE), (sha + "\n").getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> report : reports.entrySet()) {
            DurableFiles.writeAtomically(dir.resolve(report.getKey()), report.getValue());
        }
        ModelVersion stored = template.toBuilder()
                .clearReportFiles()
                .addAllReportFiles(reports.keySet())
                .setModelName(modelName)
                .setVersion(version)
                .setArtifactPath(modelName + "/" + version + "/" + ONNX_FILE)
                .setSha256(sha)
                .setSizeBytes(onnx.length)
                .build();
        DurableFiles.writeAtomically(dir.resolve(VERSION_FILE), stored.toByteArray());
        versions.computeIfAbsent(modelName, k -> new TreeMap<>()).put(version, stored);
        return stored;
    }

    /** All versions of one model, or of all models when {@code modelName} is empty; by name, then oldest version first. */
    public synchronized List<ModelVersion> list(String modelName) {
        List<ModelVersion> out = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Integer, ModelVersion>> e : versions.entrySet()) {
            if (modelName == null || modelName.isEmpty() || modelName.equals(e.getKey())) {
                out.addAll(e.getValue().values());
            }
        }
        return out;
    }

    /**
     * A stored version; {@code version <= 0} means the newest one.
     *
     * @throws DomainException NOT_FOUND for an unknown model or version
     */
    public synchronized StoredArtifact find(String modelName, int version) {
        TreeMap<Integer, ModelVersion> byVersion = versions.get(modelName);
        if (byVersion == null || byVersion.isEmpty()) {
            throw DomainException.notFound("no model named '" + modelName + "'");
        }
        ModelVersion v = version <= 0 ? byVersion.lastEntry().getValue() : byVersion.get(version);
        if (v == null) {
            throw DomainException.notFound("model '" + modelName + "' has no version " + version + " (versions: " + byVersion.keySet() + ")");
        }
        return new StoredArtifact(v, root.resolve(modelName).resolve(Integer.toString(v.getVersion())).resolve(ONNX_FILE));
    }

    /**
     * One file of a stored version: {@code file} empty means model.onnx, otherwise one of the version's
     * report files. The sha256 of a report file is computed here (report files are small).
     *
     * @throws DomainException INVALID_ARGUMENT for a file name that is a path ({@code /}, a backslash
     *                         or {@code ..}); NOT_FOUND for an unknown model or version, or a file the
     *                         version does not have
     */
    public StoredArtifact find(String modelName, int version, String file) throws IOException {
        if (file == null || file.isEmpty()) {
            return find(modelName, version);
        }
        if (file.contains("/") || file.contains("\\") || file.contains("..")) {
            throw DomainException.invalid("file must be a report file name such as metrics.json, not a path; got '" + file + "'");
        }
        ModelVersion v = find(modelName, version).version();
        if (!v.getReportFilesList().contains(file)) {
            throw DomainException.notFound("model '" + modelName + "' version " + v.getVersion() + " has no report file '" + file
                    + "' (report files: " + v.getReportFilesList() + ")");
        }
        Path path = root.resolve(modelName).resolve(Integer.toString(v.getVersion())).resolve(file);
        if (!Files.isRegularFile(path)) {
            throw DomainException.notFound("report file " + path + " of model '" + modelName + "' version " + v.getVersion()
                    + " is missing from the model store");
        }
        return new StoredArtifact(v, path, Sha256.of(path), Files.size(path));
    }

    /** The version a job stored, if it stored one (a job stores at most one). */
    public synchronized Optional<ModelVersion> findByJob(String jobId) {
        for (TreeMap<Integer, ModelVersion> byVersion : versions.values()) {
            for (ModelVersion v : byVersion.values()) {
                if (!jobId.isEmpty() && jobId.equals(v.getJobId())) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    static void requireReportFileName(String name) {
        if (name == null || !REPORT_FILE.matcher(name).matches() || name.equals(".") || name.equals("..")
                || RESERVED.contains(name) || name.contains(DurableFiles.TEMP_MARKER)) {
            throw new IllegalArgumentException("report file name must match [a-z0-9_.-]{1,128}, not be . or .. or one of "
                    + RESERVED + " and not contain " + DurableFiles.TEMP_MARKER + "; got '" + name + "'");
        }
    }

    private void scan() throws IOException {
        int count = 0;
        try (DirectoryStream<Path> models = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path modelDir : models) {
                String name = modelDir.getFileName().toString();
                try (DirectoryStream<Path> versionDirs = Files.newDirectoryStream(modelDir, Files::isDirectory)) {
                    for (Path vDir : versionDirs) {
                        String dirName = vDir.getFileName().toString();
                        if (!dirName.matches("[1-9][0-9]{0,8}")) {
                            continue;
                        }
                        int v = Integer.parseInt(dirName);
                        highestDirectory.merge(name, v, Math::max);
                        ModelVersion mv = readVersion(vDir);
                        if (mv != null) {
                            versions.computeIfAbsent(name, k -> new TreeMap<>()).put(v, mv);
                            count++;
                        }
                    }
                }
            }
        }
        LOG.infof("model store %s: %d model versions indexed", root, count);
    }

    private static ModelVersion readVersion(Path vDir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(vDir)) {
            for (Path f : files) {
                if (DurableFiles.isTemp(f)) {
                    Files.deleteIfExists(f);
                }
            }
        }
        Path versionFile = vDir.resolve(VERSION_FILE);
        Path onnx = vDir.resolve(ONNX_FILE);
        if (!Files.exists(versionFile)) {
            LOG.warnf("ignoring incomplete model version %s", vDir);
            return null;
        }
        ModelVersion mv = ModelVersion.parseFrom(Files.readAllBytes(versionFile));
        if (!Files.exists(onnx) || Files.size(onnx) != mv.getSizeBytes()) {
            LOG.warnf("ignoring model version %s: model.onnx missing or not %d bytes", vDir, mv.getSizeBytes());
            return null;
        }
        return mv;
    }
}
