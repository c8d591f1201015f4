/**
 * Neuron engines: turn per-synapse input spikes (1 ms bins) into a soma voltage trace and output
 * spike times. {@link io.neurosurrogate.simulator.engine.NeuronEngine} is the plug-in point; the
 * integrate-and-fire neuron of Beniaguev, Segev &amp; London (Neuron 2021) is the first engine, and
 * compartmental L5PC engines are meant to plug in beside it.
 */
package io.neurosurrogate.simulator.engine;
