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
import java.util.TreeMap;

/**
 * Exported surrogates: {@code <root>/<model>/<version>/model.onnx}, its sha256 and its
 * {@link ModelVersion} (protobuf) beside it. Versions count 1, 2, ... per model name. The
 * {@code model-version.pb} file is written last, so its presence marks a complete version; a version
 * directory without it (a crash mid-write) is ignored and its number never reused.
 */
public final class ModelStore {
    private static final Logger LOG = Logger.getLogger(ModelStore.class);
    static final String ONNX_FILE = "model.onnx";
    static final String SHA256_FILE = "model.onnx.sha256";
    static final String VERSION_FILE = "model-version.pb";

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
    public synchronized ModelVersion add(String modelName, byte[] onnx, ModelVersion template) throws IOException {
        StoreNames.requireSafe("model_name", modelName);
        int version = highestDirectory.getOrDefault(modelName, 0) + 1;
        Path dir = root.resolve(modelName).resolve(Integer.toString(version));
        highestDirectory.put(modelName, version);
        DurableFiles.createDirectoriesDurably(dir);
        String sha = Sha256.of(onnx);
        DurableFiles.writeAtomically(dir.resolve(ONNX_FILE), onnx);
        DurableFiles.writeAtomically(dir.resolve(SHA256_FILE), (sha + "\n").getBytes(StandardCharsets.US_ASCII));
        ModelVersion stored = template.toBuilder()
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
