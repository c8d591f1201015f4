/**
 * The inference service: follows model events on {@code ns.models.v1} ({@code kafka}), fetches and
 * verifies ONNX artifacts and keeps the loaded versions ({@code registry}), runs them in ONNX Runtime
 * ({@code runtime}), serves {@code InferenceService} ({@code grpc}) and counts what it serves
 * ({@code metrics}).
 */
package io.neurosurrogate.inference;
