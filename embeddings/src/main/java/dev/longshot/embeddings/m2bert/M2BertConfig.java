package dev.longshot.embeddings.m2bert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The parts of an M2-BERT {@code config.json} the forward pass needs, every size checked against
 * {@link ModelLimits} before anything is allocated from it. Options the released retrieval checkpoints do not use
 * (unidirectional filters, no residual long convolution, dense or non-GLU MLPs, mean pooling) are refused by name.
 */
record M2BertConfig(int hidden, int intermediate, int layers, int maxPositions, int vocab, int typeVocab,
    int filterOrder, int embDim, int nblocks, double layerNormEps, double sinWMod) {

  static M2BertConfig read(Path file) {
    JsonNode n;
    try {
      n = ModelLimits.readJson(file);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
    int hidden = size(file, n, "hidden_size", null, ModelLimits.MAX_WIDTH);
    int intermediate = size(file, n, "intermediate_size", null, ModelLimits.MAX_WIDTH);
    int layers = size(file, n, "num_hidden_layers", null, ModelLimits.MAX_LAYERS);
    int maxPositions = size(file, n, "max_position_embeddings", null, ModelLimits.MAX_CONTEXT);
    int vocab = size(file, n, "vocab_size", null, ModelLimits.MAX_VOCAB);
    int typeVocab = size(file, n, "type_vocab_size", 2L, 16);
    int order = size(file, n, "hyena_filter_order", 128L, ModelLimits.MAX_WIDTH);
    int embDim = size(file, n, "hyena_emb_dim", 5L, 1024);
    int nblocks = size(file, n, "monarch_mlp_nblocks", 4L, 1024);
    if (hidden % nblocks != 0 || intermediate % nblocks != 0) {
      throw new ModelFormatException(file + ": hidden_size " + hidden + " and intermediate_size " + intermediate
          + " must both be multiples of monarch_mlp_nblocks " + nblocks);
    }
    long longConv = n.path("long_conv_l_max").asLong(maxPositions);
    if (longConv != maxPositions) {
      throw new ModelFormatException(file + ": long_conv_l_max " + longConv + " differs from max_position_embeddings "
          + maxPositions + "; the filters are read for the padded length, so they must agree");
    }
    require(file, n, "bidirectional", true);
    require(file, n, "residual_long_conv", true);
    require(file, n, "use_glu_mlp", true);
    require(file, n, "use_monarch_mlp", true);
    require(file, n, "use_positional_encodings", true);
    require(file, n, "pool_all", false);
    require(file, n, "hyena_training_additions", false);
    // asDouble() read a string as 0 and let -1 or 1e400 through: every embedding then came out NaN
    double eps = ModelLimits.jsonDouble(file, "layer_norm_eps", n.get("layer_norm_eps"), 1e-12, 1e-30, 1);
    double wMod = ModelLimits.jsonDouble(file, "hyena_w_mod", n.get("hyena_w_mod"), 1, 1e-6, 1e6);
    return new M2BertConfig(hidden, intermediate, layers, maxPositions, vocab, typeVocab, order, embDim, nblocks, eps, wMod);
  }

  private static int size(Path file, JsonNode n, String key, Long fallback, long max) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new ModelFormatException(file + ": " + key + " is missing");
      }
      return fallback.intValue();
    }
    if (!v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw new ModelFormatException(file + ": " + key + " is " + v + "; a whole number is expected");
    }
    return ModelLimits.positive(file, key, v.asLong(), max);
  }

  private static void require(Path file, JsonNode n, String key, boolean expected) {
    JsonNode v = n.get(key);
    if (v != null && !v.isNull() && v.asBoolean() != expected) {
      throw new ModelFormatException(file + ": " + key + " is " + v + "; this encoder supports only " + expected
          + " (the released M2-BERT retrieval checkpoints)");
    }
  }
}
