/**
 * ONNX Runtime: one shared environment, one session per loaded model version (shared by all requests),
 * the model card read from the ONNX metadata, and the request-to-tensor-to-response path; for
 * streams, the step graph beside the model, the per-sequence state of each stream (StreamSession), and
 * the open streams with their limits and idle eviction (StreamSessions).
 */
package io.neurosurrogate.inference.runtime;
