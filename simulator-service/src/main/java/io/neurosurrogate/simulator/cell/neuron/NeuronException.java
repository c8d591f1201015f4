package io.neurosurrogate.simulator.cell.neuron;

/**
 * NEURON could not be used or a NEURON run failed: NEURON (or Python) is missing, mechanisms did not
 * compile, the driver exited with an error (its stderr, i.e. NEURON's own message, is in the
 * exception message) or it ran past its time limit.
 */
public class NeuronException extends RuntimeException {
    public NeuronException(String message) {
        super(message);
    }

    public NeuronException(String message, Throwable cause) {
        super(message, cause);
    }
}
