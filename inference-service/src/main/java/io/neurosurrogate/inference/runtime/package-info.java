/**
 * ONNX Runtime: one shared environment, one session per loaded model version (shared by all requests),
 * the model card read from the ONNX metadata, and the request-to-tensor-to-response path.
 */
package io.neurosurrogate.inference.runtime;
