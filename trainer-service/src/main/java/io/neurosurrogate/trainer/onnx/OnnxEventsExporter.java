package io.neurosurrogate.trainer.onnx;

import io.neurosurrogate.core.inference.EventGraphs;
import io.neurosurrogate.core.inference.EventInputLayer;
import io.neurosurrogate.proto.onnx.ModelProto;
import io.neurosurrogate.proto.onnx.StringStringEntryProto;
import io.neurosurrogate.proto.v1.ModelCard;

import static io.neurosurrogate.trainer.onnx.OnnxGraphs.floatTensor;

/**
 * The event-driven form of a surrogate ({@link EventGraphs}): the first layer as plain weights for a
 * server to scatter input spikes with ({@link EventInputLayer}), and the layers after it plus the
 * heads as a step graph ({@link OnnxStepExporter}) whose input is the first layer's activated output.
 * Fed the same input, the two together equal the window graph bin by bin.
 */
public final class OnnxEventsExporter {

    private OnnxEventsExporter() {
    }

    /** Whether {@code net} has an event-driven form: its first layer reads the spikes alone (not residual). */
    public static boolean supports(OnnxNetwork net) {
        return !net.layers().get(0).residual();
    }

    /** The first layer, event by event. */
    public static EventInputLayer inputLayer(OnnxNetwork net) {
        OnnxNetwork.Conv c = net.layers().get(0);
        return EventInputLayer.fromConv(c.outChannels(), c.inChannels(), c.kernel(), c.dilation(), c.weights(), c.bias(),
                EventInputLayer.Activation.parse(c.activation()));
    }

    /** The layers after the first, and the heads, as a network whose input is the first layer's output. */
    public static OnnxNetwork tail(OnnxNetwork net) {
        return new OnnxNetwork(net.layers().get(0).outChannels(), net.layers().subList(1, net.layers().size()), net.spikeHead(),
                net.voltageHead(), net.vMeanMv(), net.vStdMv(), net.vClipMv(), net.dendrite());
    }

    /** Additions per input spike: kernel x channels of the first layer. */
    public static int columnFloats(OnnxNetwork net) {
        OnnxNetwork.Conv c = net.layers().get(0);
        return c.kernel() * c.outChannels();
    }

    /** Multiply-adds of one step of one neuron in the events graph. */
    public static long tailMacs(OnnxNetwork net) {
        return OnnxStepExporter.macs(tail(net));
    }

    public static byte[] export(OnnxNetwork net, ModelCard card) {
        if (!supports(net)) {
            throw new IllegalArgumentException("the first layer is residual, so it has no event-driven form");
        }
        EventInputLayer layer = inputLayer(net);
        ModelProto.Builder m = OnnxStepExporter.builder(tail(net), card, EventGraphs.FEATURES, EventGraphs.GRAPH_EVENTS);
        m.getGraphBuilder()
                .addInitializer(floatTensor(EventGraphs.WEIGHTS, layer.weights(), layer.synapses(), layer.kernel(), layer.channels()))
                .addInitializer(floatTensor(EventGraphs.BIAS, layer.bias(), layer.channels()));
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(EventGraphs.DILATION_KEY).setValue(Integer.toString(layer.dilation())));
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(EventGraphs.ACTIVATION_KEY).setValue(layer.activation().label()));
        m.setDocString("Causal TCN surrogate of a neuron, event-driven: the first layer's weights for scattering input spikes,"
                + " the rest one 1 ms step per call (Beniaguev, Segev & London, Neuron 2021)");
        return m.build().toByteArray();
    }
}
