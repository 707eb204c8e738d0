/**
 * Weight tensors over memory-mapped bytes ({@link dev.longshot.vlm.tensor.FloatTensor}, one class per ggml type)
 * and the kernels that compute with them: Vector API dot products per tensor type with scalar twins, chosen once by
 * {@link dev.longshot.vlm.tensor.Kernels} ({@code -Dlongshot.vlm.scalar=true} forces scalar), and parallel matmuls
 * on a fixed thread set ({@link dev.longshot.vlm.tensor.Parallel}).
 */
package dev.longshot.vlm.tensor;
