package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.proto.v1.ModelCard;

/**
 * The result of a training run: the ONNX model (card already inside its metadata_props) and the
 * same card as a message (metrics filled in, including onnx_max_abs_diff), and the evaluation
 * report files to store beside the model (file name -> bytes: metrics.json, *.png).
 */
public record TrainedModel(byte[] onnx, ModelCard card, java.util.Map<String, byte[]> reportFiles) {
    public TrainedModel {
        reportFiles = java.util.Map.copyOf(reportFiles);
    }

    public TrainedModel(byte[] onnx, ModelCard card) {
        this(onnx, card, java.util.Map.of());
    }
}
