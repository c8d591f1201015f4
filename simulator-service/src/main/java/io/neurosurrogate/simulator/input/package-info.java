/**
 * Random synaptic input as in Beniaguev, Segev &amp; London (Neuron 2021): piecewise-constant total
 * rates, Gaussian-smoothed, spread over synapses with multiplicative noise, Bernoulli spikes per
 * 1 ms bin. Everything derives from one 64-bit seed per simulation.
 */
package io.neurosurrogate.simulator.input;
