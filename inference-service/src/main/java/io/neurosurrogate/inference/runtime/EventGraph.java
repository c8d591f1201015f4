package io.neurosurrogate.inference.runtime;

import io.neurosurrogate.core.inference.EventInputLayer;

/**
 * The event-driven form of a model version (ModelCard.events_graph_file, core EventGraphs): the first
 * layer in Java, scattering each input spike's kernel, and the rest of the network as a step graph
 * whose input is that layer's output.
 */
record EventGraph(EventInputLayer layer, StepGraph tail) {
}
