/**
 * The inference service: follows model events on {@code ns.models.v1} ({@code kafka}), fetches and
 * verifies ONNX artifacts and keeps the loaded versions ({@code registry}), runs them in ONNX Runtime
 * ({@code runtime}) and serves {@code InferenceService} ({@code grpc}).
 */
package io.neurosurrogate.inference;
