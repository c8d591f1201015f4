package io.neurosurrogate.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.neurosurrogate.core.inference.EventGraphs;
import io.neurosurrogate.core.inference.Int8Graphs;
import io.neurosurrogate.core.model.ModelCards;
import io.neurosurrogate.inference.InferenceConfig;
import io.neurosurrogate.proto.v1.ModelCard;
import io.neurosurrogate.proto.v1.ModelVersion;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns a verified ONNX file into a {@link LoadedModel}: a session in the one shared
 * {@link OrtEnvironment}, the model card from the ONNX metadata checked against the graph's input,
 * and one small warm-up run so that a broken graph fails here rather than on a caller's request. A
 * version whose card names a step graph gets a second session for it, checked and warmed up alike.
 */
@Singleton
public class OnnxModelLoader {
    static final String DEFAULT_INPUT = "spikes";
    static final String DEFAULT_SPIKE_OUTPUT = "spike_prob";
    static final String DEFAULT_VOLTAGE_OUTPUT = "soma_mv";
    private static final int WARM_UP_MIN_MS = 16;
    private static final int WARM_UP_MAX_MS = 1024;

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final SessionSettings settings;

    /**
     * How every session is opened (ns.inference.*): threads, memory arena, execution provider.
     *
     * @param provider "cpu" or "cuda"
     */
    public record SessionSettings(int intraOpThreads, int interOpThreads, boolean memoryArena, String provider, int cudaDevice) {
        public SessionSettings {
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("ns.inference.intra-op-threads must be >= 1, got " + intraOpThreads);
            }
            if (interOpThreads < 1) {
                throw new IllegalArgumentException("ns.inference.inter-op-threads must be >= 1, got " + interOpThreads);
            }
            if (!provider.equals("cpu") && !provider.equals("cuda")) {
                throw new IllegalArgumentException("ns.inference.execution-provider must be cpu or cuda, got '" + provider + "'");
            }
            if (cudaDevice < 0) {
                throw new IllegalArgumentException("ns.inference.cuda-device must be >= 0, got " + cudaDevice);
            }
        }

        public static SessionSettings cpu(int intraOpThreads) {
            return new SessionSettings(intraOpThreads, 1, true, "cpu", 0);
        }
    }

    @Inject
    public OnnxModelLoader(InferenceConfig config) {
        this(new SessionSettings(config.intraOpThreads(), config.interOpThreads(), config.memoryArena(),
                config.executionProvider().trim().toLowerCase(java.util.Locale.ROOT), config.cudaDevice()));
    }

    public OnnxModelLoader(int intraOpThreads) {
        this(SessionSettings.cpu(intraOpThreads));
    }

    /**
     * @throws IllegalStateException when the settings ask for an execution provider this ONNX Runtime
     *                               build does not have (the service then does not start)
     */
    public OnnxModelLoader(SessionSettings settings) {
        this.settings = settings;
        if (settings.provider().equals("cuda") && !OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
            throw new IllegalStateException("ns.inference.execution-provider=cuda, but this ONNX Runtime has only "
                    + OrtEnvironment.getAvailableProviders() + ": build the inference service with -Ponnxruntime-gpu (onnxruntime_gpu)"
                    + " and run it where CUDA is installed, or use cpu");
        }
    }

    /** Where sessions run: "cpu" or "cuda". */
    public String provider() {
        return settings.provider();
    }

    /**
     * Loads {@code file}, which must already be verified against {@code version}'s sha256.
     *
     * @throws InvalidModelException when the file is not a surrogate this service can serve
     */
    public LoadedModel load(Path file, ModelVersion version) throws InvalidModelException {
        return load(file, null, version);
    }

    /**
     * Loads {@code file} and, when {@code stepFile} is not null, its step graph (both already verified).
     *
     * @throws InvalidModelException when either file is not a surrogate this service can serve
     */
    public LoadedModel load(Path file, Path stepFile, ModelVersion version) throws InvalidModelException {
        return load(file, stepFile, null, version);
    }

    /**
     * Loads {@code file} and, when not null, its step graph and its events graph (all already verified).
     *
     * @throws InvalidModelException when a file is not a surrogate this service can serve
     */
    public LoadedModel load(Path file, Path stepFile, Path eventsFile, ModelVersion version) throws InvalidModelException {
        String label = "model '" + version.getModelName() + "' version " + version.getVersion();
        OrtSession session = open(file, label);
        OrtSession stepSession = null;
        OrtSession eventsSession = null;
        OrtSession int8StepSession = null;
        OrtSession int8EventsSession = null;
        LoadedModel model = null;
        try {
            ModelCard card = ModelCards.fromMetadata(session.getMetadata().getCustomMetadata());
            String input = orDefault(card.getInputName(), DEFAULT_INPUT);
            String spikeOutput = orDefault(card.getSpikeOutputName(), DEFAULT_SPIKE_OUTPUT);
            String voltageOutput = orDefault(card.getVoltageOutputName(), DEFAULT_VOLTAGE_OUTPUT);
            int synapses = checkedSynapses(session, card, input, label);
            String dendriteOutput = card.getDendriteOutputName().isEmpty() ? null : card.getDendriteOutputName();
            for (String output : new String[]{spikeOutput, voltageOutput}) {
                if (!session.getOutputNames().contains(output)) {
                    throw new InvalidModelException(label + ": graph has no output '" + output + "' (outputs: " + session.getOutputNames() + ")");
                }
            }
            StepGraph step = null;
            StepGraph int8Step = null;
            if (stepFile != null) {
                byte[] stepGraph = readGraph(stepFile, label + " step graph");
                stepSession = open(stepGraph, label + " step graph " + stepFile);
                step = StepGraph.of(stepSession, synapses, input, spikeOutput, voltageOutput, label, StepGraph.GRAPH_STEP)
                        .withDendrite(dendriteOutput);
                byte[] int8 = int8Form(stepGraph);
                if (int8 != null) {
                    int8StepSession = open(int8, label + " int8 step graph");
                    int8Step = StepGraph.of(int8StepSession, synapses, input, spikeOutput, voltageOutput, label + " int8 step graph",
                            StepGraph.GRAPH_STEP).withDendrite(dendriteOutput);
                }
            }
            EventGraph events = null;
            EventGraph int8Events = null;
            if (eventsFile != null) {
                EventGraphs.Split split = splitEvents(eventsFile, label);
                if (split.layer().synapses() != synapses) {
                    throw new InvalidModelException(label + ": the events graph's first layer reads " + split.layer().synapses()
                            + " synapses, the model " + synapses);
                }
                eventsSession = open(split.graph(), label + " events graph");
                events = new EventGraph(split.layer(), StepGraph.of(eventsSession, split.layer().channels(), EventGraphs.FEATURES,
                        spikeOutput, voltageOutput, label + " events graph", EventGraphs.GRAPH_EVENTS).withDendrite(dendriteOutput));
                byte[] int8 = int8Form(split.graph());
                if (int8 != null) {
                    int8EventsSession = open(int8, label + " int8 events graph");
                    int8Events = new EventGraph(split.layer(), StepGraph.of(int8EventsSession, split.layer().channels(), EventGraphs.FEATURES,
                            spikeOutput, voltageOutput, label + " int8 events graph", EventGraphs.GRAPH_EVENTS).withDendrite(dendriteOutput));
                }
            }
            model = new LoadedModel(version, card, synapses, input, spikeOutput, voltageOutput, env, session, step, events,
                    int8Step, int8Events);
            warmUp(model, card);
            return model;
        } catch (OrtException e) {
            closeQuietly(model, session, stepSession, eventsSession, int8StepSession, int8EventsSession);
            throw new InvalidModelException(label + ": reading the ONNX session failed: " + e.getMessage(), e);
        } catch (InvalidModelException e) {
            closeQuietly(model, session, stepSession, eventsSession, int8StepSession, int8EventsSession);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(model, session, stepSession, eventsSession, int8StepSession, int8EventsSession);
            throw new InvalidModelException(label + ": " + e.getMessage(), e);
        }
    }

    /**
     * The int8 form of a step or events graph (core Int8Graphs), or null when it has no conv layer to
     * quantise (the events graph of a one-layer net: heads alone).
     */
    private static byte[] int8Form(byte[] graph) {
        try {
            return Int8Graphs.quantise(graph);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] readGraph(Path file, String label) throws InvalidModelException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidModelException(label + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static EventGraphs.Split splitEvents(Path file, String label) throws InvalidModelException {
        byte[] graph = readGraph(file, label + " events graph");
        try {
            return EventGraphs.split(graph);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(label + ": the events graph " + file + " is unusable: " + e.getMessage(), e);
        }
    }

    private OrtSession open(byte[] onnx, String label) throws InvalidModelException {
        try (OrtSession.SessionOptions options = options()) {
            return env.createSession(onnx, options);
        } catch (OrtException e) {
            throw new InvalidModelException(label + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
    }

    private OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(settings.interOpThreads());
            options.setCPUArenaAllocator(settings.memoryArena());
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (settings.provider().equals("cuda")) {
                options.addCUDA(settings.cudaDevice());
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private OrtSession open(Path file, String label) throws InvalidModelException {
        try (OrtSession.SessionOptions options = options()) {
            return env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new InvalidModelException(label + ": ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    /** n_exc + n_inh from the card must match the input [batch, synapses, time] of the graph. */
    private static int checkedSynapses(OrtSession session, ModelCard card, String input, String label)
            throws OrtException, InvalidModelException {
        NodeInfo info = session.getInputInfo().get(input);
        if (info == null || !(info.getInfo() instanceof TensorInfo tensor)) {
            throw new InvalidModelException(label + ": graph has no tensor input '" + input + "' (inputs: " + session.getInputNames() + ")");
        }
        long[] shape = tensor.getShape();
        if (shape.length != 3) {
            throw new InvalidModelException(label + ": input '" + input + "' has rank " + shape.length + ", expected [batch, synapses, time]");
        }
        int fromCard = card.getNExc() + card.getNInh();
        if (fromCard < 1) {
            throw new InvalidModelException(label + ": the model card has no n_exc/n_inh (metadata keys: "
                    + session.getMetadata().getCustomMetadata().keySet() + ")");
        }
        if (shape[1] > 0 && shape[1] != fromCard) {
            throw new InvalidModelException(label + ": model card says n_exc + n_inh = " + fromCard
                    + " but input '" + input + "' has " + shape[1] + " synapses");
        }
        return fromCard;
    }

    /** One run of silent input, as long as the receptive field (clamped), batch 1. */
    private static void warmUp(LoadedModel model, ModelCard card) {
        int time = Math.max(WARM_UP_MIN_MS, Math.min(WARM_UP_MAX_MS, card.getReceptiveFieldMs()));
        FloatBuffer zeros = ByteBuffer.allocateDirect(model.synapses() * time * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        Prediction p = model.run(zeros, 1, time);
        for (int i = 0; i < time; i++) {
            if (!Float.isFinite(p.spikeProb()[i]) || !Float.isFinite(p.somaMv()[i])) {
                throw new IllegalStateException("warm-up on silent input gave non-finite outputs");
            }
        }
        warmUpStep(model, model.stepGraph(), "the step graph");
        warmUpStep(model, model.hasEventGraph() ? model.eventGraph().tail() : null, "the events graph");
        warmUpStep(model, model.int8StepGraph(), "the int8 step graph");
        warmUpStep(model, model.int8EventGraph() == null ? null : model.int8EventGraph().tail(), "the int8 events graph");
    }

    /** One step of {@code graph} (when not null) from zero state, batch 1. */
    private static void warmUpStep(LoadedModel model, StepGraph graph, String what) {
        if (graph == null) {
            return;
        }
        float[] spike = new float[1];
        float[] soma = new float[1];
        try (StepBatch batch = new StepBatch(model, graph, 1)) {
            model.withStepSession(() -> {
                batch.step(spike, soma, 0, 1);
                return null;
            });
        }
        if (!Float.isFinite(spike[0]) || !Float.isFinite(soma[0])) {
            throw new IllegalStateException("warm-up of " + what + " on silent input gave non-finite outputs");
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void closeQuietly(LoadedModel model, OrtSession session, OrtSession... more) {
        try {
            if (model != null) {
                model.close();
                return;
            }
            session.close();
            for (OrtSession s : more) {
                if (s != null) {
                    s.close();
                }
            }
        } catch (OrtException | RuntimeException ignored) {
            // the load already failed; that failure is the one worth reporting
        }
    }

    /** The file is not an ONNX surrogate this service can serve. */
    public static final class InvalidModelException extends Exception {
        public InvalidModelException(String message) {
            super(message);
        }

        public InvalidModelException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
