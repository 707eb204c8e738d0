/**
 * Attention and the KV cache behind small interfaces, so sparse prefill (MMInference) and KV-cache compression
 * (LOOK-M) plug in without touching the model code: {@link dev.longshot.vlm.attention.PrefillAttention} and
 * {@link dev.longshot.vlm.attention.DecodeAttention} are the strategies, {@link dev.longshot.vlm.attention.KvCache}
 * keeps absolute positions per entry and can drop or overwrite (merge) entries, and
 * {@link dev.longshot.vlm.attention.RowState} is the online-softmax state whose log-sum-exp merge combines
 * partial passes. {@link dev.longshot.vlm.attention.DenseAttention} is the exact reference.
 */
package dev.longshot.vlm.attention;
