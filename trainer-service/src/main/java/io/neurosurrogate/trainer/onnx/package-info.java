/**
 * Our own ONNX exporter (IR 7, opset 13, written with the project's onnx.proto subset), ONNX Runtime
 * loading, and the DL4J-vs-ONNX-Runtime parity check.
 */
package io.neurosurrogate.trainer.onnx;
