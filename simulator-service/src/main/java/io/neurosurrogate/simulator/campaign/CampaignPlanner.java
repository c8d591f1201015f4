package io.neurosurrogate.simulator.campaign;

import io.neurosurrogate.core.DomainException;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.simulator.engine.NeuronEngine;
import io.neurosurrogate.simulator.engine.NeuronEngines;
import io.neurosurrogate.simulator.input.InputGenerator;

/** Validates a {@link CampaignSpec} and resolves its defaults; bad input is INVALID_ARGUMENT with a message. */
public final class CampaignPlanner {
    public static final int MAX_COUNT = 100_000;
    /** The paper's simulations are 6 s long. */
    public static final int DEFAULT_DURATION_MS = 6_000;
    public static final int MIN_DURATION_MS = 100;
    public static final int MAX_DURATION_MS = 600_000;
    public static final int DEFAULT_CHUNK_MS = 1_000;
    public static final int MIN_CHUNK_MS = 10;
    public static final int MAX_CHUNK_MS = 60_000;

    private final NeuronEngines engines;
    private final int defaultWorkers;
    private final int maxWorkers;

    public CampaignPlanner(NeuronEngines engines, int defaultWorkers, int maxWorkers) {
        this.engines = engines;
        this.defaultWorkers = Math.max(1, Math.min(defaultWorkers, maxWorkers));
        this.maxWorkers = maxWorkers;
    }

    public CampaignPlan plan(CampaignSpec spec) {
        NeuronEngine engine = engines.byName(spec.getNeuronModel(), spec.getEngine());
        if (spec.getCount() == 0) {
            throw DomainException.invalid("empty campaign: count must be in [1, " + MAX_COUNT + "], got 0");
        }
        requireInRange("count", spec.getCount(), 1, MAX_COUNT);
        int duration = spec.getDurationMs() == 0 ? DEFAULT_DURATION_MS : spec.getDurationMs();
        requireInRange("duration_ms", duration, MIN_DURATION_MS, MAX_DURATION_MS);
        int chunk = spec.getChunkMs() == 0 ? DEFAULT_CHUNK_MS : spec.getChunkMs();
        requireInRange("chunk_ms", chunk, MIN_CHUNK_MS, MAX_CHUNK_MS);
        int workers = spec.getWorkers() == 0 ? defaultWorkers : spec.getWorkers();
        requireInRange("workers", workers, 1, maxWorkers);
        InputGenerator generator = engine.inputGenerator(spec.getInput());

        CampaignSpec effective = spec.toBuilder()
                .setDurationMs(duration)
                .setChunkMs(chunk)
                .setWorkers(workers)
                .setEngine(engine.kind())
                .setInput(generator.effectiveStatistics())
                .build();
        return new CampaignPlan(effective, engine, generator, spec.getCount(), duration, chunk,
                workers, spec.getSeed());
    }

    static void requireInRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw DomainException.invalid(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
