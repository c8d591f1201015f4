package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.proto.v1.ModelCard;

/**
 * The result of a training run: the ONNX model (card already inside its metadata_props) and the
 * same card as a message (metrics filled in, including onnx_max_abs_diff).
 */
public record TrainedModel(byte[] onnx, ModelCard card) {
}
