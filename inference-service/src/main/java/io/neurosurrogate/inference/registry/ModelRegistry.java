package io.neurosurrogate.inference.registry;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.core.model.VersionAliases;
import io.neurosurrogate.inference.runtime.LoadedModel;
import io.neurosurrogate.proto.v1.ModelVersion;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The model versions this replica serves. Versions of a model coexist; {@code ""} and
 * {@code "latest"} resolve to the highest loaded version number. Reads are lock-free; writes
 * (from the installer thread) replace and close superseded sessions. Closing never pulls a version
 * from under an open stream: {@link LoadedModel#close()} leaves freeing to the stream's last lease.
 */
@Singleton
public class ModelRegistry {
    private final ConcurrentSkipListMap<String, ConcurrentSkipListMap<Integer, LoadedModel>> models = new ConcurrentSkipListMap<>();

    /** Adds a version; a version loaded before under the same number is closed and replaced. */
    public void register(LoadedModel model) {
        LoadedModel previous = models.computeIfAbsent(model.name(), n -> new ConcurrentSkipListMap<>())
                .put(model.versionNumber(), model);
        if (previous != null && previous != model) {
            previous.close();
        }
    }

    /** Removes and closes a version; false when it was not loaded. */
    public boolean unload(String name, int version) {
        ConcurrentSkipListMap<Integer, LoadedModel> versions = models.get(name);
        if (versions == null) {
            return false;
        }
        LoadedModel removed = versions.remove(version);
        if (versions.isEmpty()) {
            models.remove(name, versions);
        }
        if (removed == null) {
            return false;
        }
        removed.close();
        return true;
    }

    public Optional<LoadedModel> find(String name, int version) {
        NavigableMap<Integer, LoadedModel> versions = models.get(name);
        return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
    }

    /**
     * @param version "", "latest", "champion" (core VersionAliases) or a version number
     * @throws DomainException NOT_FOUND naming what is loaded; INVALID_ARGUMENT for any other version string
     */
    public LoadedModel resolve(String name, String version) {
        VersionAliases.validate(version, "version");
        NavigableMap<Integer, LoadedModel> versions = models.get(name);
        if (versions == null || versions.isEmpty()) {
            throw DomainException.notFound("model '" + name + "' is not loaded; loaded: " + describeLoaded());
        }
        LoadedModel model = VersionAliases.pick(version, versions.values(), LoadedModel::versionNumber, LoadedModel::card);
        if (model != null) {
            return model;
        }
        throw DomainException.notFound("model '" + name + "' version '" + version + "' is not loaded; loaded: " + describeLoaded());
    }

    /** All loaded versions, by model name then version. */
    public List<ModelVersion> loaded() {
        List<ModelVersion> out = new ArrayList<>();
        for (ConcurrentSkipListMap<Integer, LoadedModel> versions : models.values()) {
            for (LoadedModel m : versions.values()) {
                out.add(m.describe());
            }
        }
        return out;
    }

    /** How many versions are loaded, of all models. */
    public int loadedCount() {
        int count = 0;
        for (ConcurrentSkipListMap<Integer, LoadedModel> versions : models.values()) {
            count += versions.size();
        }
        return count;
    }

    /** "iaf [1, 2], l5pc [4]" or "nothing". */
    public String describeLoaded() {
        StringJoiner all = new StringJoiner(", ");
        for (Map.Entry<String, ConcurrentSkipListMap<Integer, LoadedModel>> e : models.entrySet()) {
            if (!e.getValue().isEmpty()) {
                all.add(e.getKey() + " " + new ArrayList<>(e.getValue().keySet()));
            }
        }
        return all.length() == 0 ? "nothing" : all.toString();
    }

    @PreDestroy
    void closeAll() {
        for (Map.Entry<String, ConcurrentSkipListMap<Integer, LoadedModel>> e : new TreeMap<>(models).entrySet()) {
            for (Integer v : new ArrayList<>(e.getValue().keySet())) {
                unload(e.getKey(), v);
            }
        }
    }
}
