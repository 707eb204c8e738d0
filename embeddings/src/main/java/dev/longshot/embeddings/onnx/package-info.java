/**
 * Wire-level ONNX model editing with protobuf-java's coded streams: {@link dev.longshot.embeddings.onnx.WireMessage}
 * walks only the fields we need (ModelProto.graph, GraphProto.node/initializer, TensorProto) and copies the rest
 * byte for byte; {@link dev.longshot.embeddings.onnx.PositionTableEditor} uses it to stretch or regroup a BERT
 * model's absolute positions for LongEmbed's training-free context extension.
 */
package dev.longshot.embeddings.onnx;
