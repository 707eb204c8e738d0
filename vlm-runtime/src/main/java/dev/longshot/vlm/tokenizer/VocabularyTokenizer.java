package dev.longshot.vlm.tokenizer;

import java.util.Set;

/**
 * The part of a {@link Tokenizer} that only reads the model's {@link Vocabulary}: token strings, ids, BOS and
 * stop ids. Subclasses add how text is split into tokens and how a token becomes bytes.
 */
abstract class VocabularyTokenizer implements Tokenizer {
  final Vocabulary vocab;

  VocabularyTokenizer(Vocabulary vocab) {
    this.vocab = vocab;
  }

  @Override
  public String text(int id) {
    return vocab.tokens[id];
  }

  @Override
  public int id(String text) {
    return vocab.ids.getOrDefault(text, -1);
  }

  @Override
  public int vocabSize() {
    return vocab.tokens.length;
  }

  @Override
  public int bos() {
    return vocab.bos;
  }

  @Override
  public boolean addBos() {
    return vocab.addBos;
  }

  @Override
  public Set<Integer> stopIds() {
    return vocab.stopIds;
  }
}
