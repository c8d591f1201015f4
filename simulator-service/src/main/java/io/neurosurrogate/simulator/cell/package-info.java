/**
 * The biophysical neuron: morphology import and discretisation ({@code morphology}), the one model
 * description both simulators read ({@code model}), ion-channel plug-ins ({@code channels}), the
 * pure-Java compartmental engine ({@code engine}) and the NEURON backend ({@code neuron}).
 * Framework-free: no Quarkus, no Kafka.
 */
package io.neurosurrogate.simulator.cell;
