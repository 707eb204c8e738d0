package dev.longshot.embeddings;

import dev.longshot.capabilities.TextEmbedder;
import dev.longshot.embeddings.m2bert.BertVocab;
import dev.longshot.embeddings.m2bert.M2BertModel;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * M2-BERT (Monarch Mixer) retrieval encoder as a {@link TextEmbedder}: the directory's tokenizer.json (else its
 * vocab.txt, read as bert-base-uncased WordPiece), {@code [CLS] text [SEP]} padded with [PAD]=0 to the trained
 * length, the pooler output L2-normalised. No query or passage prefix. Text longer than the trained length minus
 * the two special tokens is cut there (keeping [SEP]) with a logged warning. Thread-safe.
 */
public final class M2BertTextEmbedder implements TextEmbedder {
  private static final Logger LOG = LoggerFactory.getLogger(M2BertTextEmbedder.class);
  private final String name;
  private final M2BertModel model;
  private final WordPieces tokenizer;

  /**
   * Loads {@code dir} (model.safetensors, config.json, tokenizer.json or vocab.txt).
   *
   * @throws EmbeddingException naming the file and what is missing or wrong
   */
  public M2BertTextEmbedder(Path dir, int threads) {
    this(dir, threads, M2BertModel.Blocking.DEFAULT);
  }

  /** With other memory knobs for the forward pass (tests, benchmarks). */
  public M2BertTextEmbedder(Path dir, int threads, M2BertModel.Blocking blocking) {
    if (!Files.isDirectory(dir)) {
      throw new EmbeddingException("M2-BERT model directory " + dir + " does not exist");
    }
    this.name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    try {
      this.model = M2BertModel.load(dir, threads, blocking);
    } catch (ModelFormatException e) {
      throw new EmbeddingException(e.getMessage(), e);
    }
    try {
      Path json = dir.resolve("tokenizer.json");
      if (Files.isRegularFile(json)) {
        this.tokenizer = new WordPieces(ModelLimits.readSmallFile(json), json.toString());
      } else {
        Path vocab = dir.resolve("vocab.txt");
        if (!Files.isRegularFile(vocab)) {
          throw new EmbeddingException(dir + " has neither tokenizer.json nor vocab.txt");
        }
        this.tokenizer = new WordPieces(BertVocab.tokenizerJson(vocab), vocab.toString());
      }
      if (tokenizer.maxTokenId() >= model.vocabSize()) {
        tokenizer.close();
        throw new EmbeddingException(dir + ": the tokenizer does not match the model: it has token id "
            + tokenizer.maxTokenId() + " but config.json's vocab_size is " + model.vocabSize());
      }
    } catch (IOException | ModelFormatException | EmbeddingException e) {
      model.close();
      throw e instanceof EmbeddingException ee ? ee : new EmbeddingException(e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public int maxTokens() {
    return model.maxPositions();
  }

  /** The padded model input for {@code text}: [CLS], at most L-2 content ids, [SEP], then [PAD]=0 up to L. */
  int[] inputIds(String text) {
    long[] content = tokenizer.ids(text);
    int room = model.maxPositions() - 2;
    if (content.length > room) {
      LOG.warn("embeddings: text of {} tokens exceeds M2-BERT's {} positions; truncated to {} tokens",
          content.length, model.maxPositions(), room);
    }
    int n = Math.min(room, content.length);
    int[] ids = new int[model.maxPositions()];
    ids[0] = (int) tokenizer.clsId();
    for (int i = 0; i < n; i++) {
      ids[1 + i] = (int) content[i];
    }
    ids[1 + n] = (int) tokenizer.sepId();
    return ids;
  }

  /** The pooler output for padded {@code ids}, not normalised. */
  float[] rawPooled(int[] ids) {
    return model.pooled(ids);
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(Vectors.normalize(model.pooled(inputIds(t))));
    }
    return out;
  }

  @Override
  public float[] embedQuery(String text) {
    return Vectors.normalize(model.pooled(inputIds(text)));
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
