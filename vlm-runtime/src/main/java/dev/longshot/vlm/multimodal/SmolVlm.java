package dev.longshot.vlm.multimodal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.ModelLimits;
import dev.longshot.vlm.TextGenerator;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.sample.GenerationSettings;
import dev.longshot.vlm.vision.HfVisionLoader;
import dev.longshot.vlm.vision.MmprojVisionLoader;
import dev.longshot.vlm.vision.OnnxVisionEncoder;
import dev.longshot.vlm.vision.VisionConfig;
import dev.longshot.vlm.vision.VisionEncoder;
import dev.longshot.vlm.vision.VisionWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A SmolVLM / SmolVLM2 (Idefics3 architecture) vision-language model: the vision tower and connector
 * ({@link VisionEncoder}) feeding the Llama decoder ({@link TextGenerator}) through the image-token positions of a
 * {@link MultimodalPrompt}. Loads from a Hugging Face directory (config.json with {@code vision_config},
 * safetensors, tokenizer.json, preprocessor_config.json, processor_config.json) or from llama.cpp's pair, a model
 * GGUF and its {@code mmproj} GGUF. Generation is serialised per instance; close it to stop the kernel threads.
 */
public final class SmolVlm implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SmolVlm.class.getName());
  private final TextGenerator text;
  private final VisionEncoder vision;
  private final SmolVlmProcessor processor;
  private final String chatJinja;
  private final boolean smolVlm2;
  private final OnnxVisionEncoder onnx;
  private final boolean splitKeyframes;

  private SmolVlm(TextGenerator text, VisionConfig vc, VisionWeights vw, ImageProcessorConfig ipc, int imageTokenId,
      String chatJinja, boolean smolVlm2, OnnxVisionEncoder onnx, VlmSettings settings) {
    this.smolVlm2 = smolVlm2;
    this.splitKeyframes = settings.splitKeyframes();
    this.onnx = onnx;
    this.text = text;
    this.vision = new VisionEncoder(vc, vw, text.parallel(), settings.visionPrecision());
    this.processor = new SmolVlmProcessor(text.tokenizer(), new ImageProcessor(ipc), imageTokenId, text.parallel());
    this.chatJinja = chatJinja == null ? "" : chatJinja;
  }

  /**
   * Loads a Hugging Face directory, or a model GGUF whose {@code mmproj*.gguf} sits in the same directory (exactly
   * one; use {@link #load(Path, Path, VlmSettings)} to name it).
   */
  public static SmolVlm load(Path model, VlmSettings settings) throws IOException {
    if (Files.isDirectory(model)) {
      return loadHuggingFace(model, settings);
    }
    return load(model, findMmproj(model), settings);
  }

  /** True when {@code model} is a vision-language model this class loads (a directory with a vision_config, or a
   * GGUF with an mmproj file beside it). */
  public static boolean isVisionLanguage(Path model) {
    try {
      if (Files.isDirectory(model)) {
        Path cfg = model.resolve("config.json");
        return Files.isRegularFile(cfg) && ModelLimits.readJson(cfg).path("vision_config").isObject();
      }
      Path dir = model.toAbsolutePath().getParent();
      try (Stream<Path> s = Files.list(dir)) {
        return !isMmproj(model) && s.anyMatch(SmolVlm::isMmproj);
      }
    } catch (IOException | ModelFormatException e) {
      return false;
    }
  }

  private static boolean isMmproj(Path p) {
    String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.startsWith("mmproj") && n.endsWith(".gguf");
  }

  static Path findMmproj(Path model) throws IOException {
    if (isMmproj(model)) {
      throw new ModelFormatException(model + " is a vision projector (mmproj); point the model path at the "
          + "language model GGUF next to it");
    }
    Path dir = model.toAbsolutePath().getParent();
    List<Path> found;
    try (Stream<Path> s = Files.list(dir)) {
      found = s.filter(SmolVlm::isMmproj).sorted().toList();
    }
    if (found.size() != 1) {
      throw new ModelFormatException(model + ": expected exactly one mmproj*.gguf beside the model for its vision "
          + "tower, found " + found.size() + (found.isEmpty() ? "" : " " + found));
    }
    return found.get(0);
  }

  /** Loads llama.cpp's pair: the decoder GGUF and the vision projector GGUF. */
  public static SmolVlm load(Path modelGguf, Path mmproj, VlmSettings settings) throws IOException {
    return onDecoder(LoadedModel.load(modelGguf), settings, (lm, tg) -> withPair(lm, tg, modelGguf, mmproj, settings));
  }

  /** Builds the rest of a SmolVlm on a loaded decoder. */
  @FunctionalInterface
  private interface Assembly {
    SmolVlm on(LoadedModel lm, TextGenerator tg) throws IOException;
  }

  /**
   * The one load-and-close wrapper of both formats: starts the decoder's generator on {@code lm}, lets
   * {@code rest} build the vision side; if anything fails, closes the generator and the loaded weights and rethrows.
   */
  private static SmolVlm onDecoder(LoadedModel lm, VlmSettings settings, Assembly rest) throws IOException {
    TextGenerator tg = null;
    try {
      tg = TextGenerator.of(lm, settings);
      return rest.on(lm, tg);
    } catch (IOException | RuntimeException e) {
      if (tg != null) {
        tg.close();
      }
      lm.close();
      throw e;
    }
  }

  private static SmolVlm withPair(LoadedModel lm, TextGenerator tg, Path modelGguf, Path mmproj, VlmSettings settings)
      throws IOException {
    int imageToken = lm.tokenizer().id(SmolVlmProcessor.IMAGE);
    if (imageToken < 0) {
      throw new ModelFormatException(modelGguf + ": the vocabulary has no " + SmolVlmProcessor.IMAGE + " token");
    }
    try (GgufFile f = GgufFile.open(mmproj, lm.memory())) {
      MmprojVisionLoader loader = new MmprojVisionLoader(f);
      VisionConfig vc = loader.config(lm.config().dim());
      VisionWeights vw = loader.weights(vc);
      float[] half = {0.5f, 0.5f, 0.5f};
      ImageProcessorConfig ipc = ImageProcessorConfig.defaults(vc.imageSize(), vc.imageSeqLen(),
          loader.floats3("clip.vision.image_mean", half), loader.floats3("clip.vision.image_std", half));
      Path pre = modelGguf.toAbsolutePath().getParent().resolve("preprocessor_config.json");
      boolean v2 = String.valueOf(f.metadata().get("general.name")).toLowerCase(java.util.Locale.ROOT)
          .contains("smolvlm2");
      if (Files.isRegularFile(pre)) {
        ipc = ImageProcessorConfig.read(pre.getParent(), vc.imageSeqLen());
        v2 |= ModelLimits.readJson(pre).path("image_processor_type").asText("").startsWith("SmolVLM");
      }
      return new SmolVlm(tg, vc, vw, checkSeqLen(ipc, vc, mmproj), imageToken, null, v2,
          onnxTower(modelGguf.toAbsolutePath().getParent(), vc, settings), settings);
    }
  }

  private static SmolVlm loadHuggingFace(Path dir, VlmSettings settings) throws IOException {
    for (String name : List.of("config.json", "tokenizer.json", "preprocessor_config.json")) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        throw new ModelFormatException(dir + ": " + name + " is missing (a SmolVLM directory needs config.json, "
            + "*.safetensors, tokenizer.json, tokenizer_config.json, preprocessor_config.json, processor_config.json)");
      }
    }
    JsonNode root = ModelLimits.readJson(dir.resolve("config.json"));
    return onDecoder(LoadedModel.load(dir), settings, (lm, tg) -> withHuggingFace(lm, tg, dir, root, settings));
  }

  private static SmolVlm withHuggingFace(LoadedModel lm, TextGenerator tg, Path dir, JsonNode root,
      VlmSettings settings) throws IOException {
    int imageToken = ModelLimits.jsonInt(dir.resolve("config.json"), "image_token_id", root.path("image_token_id"),
        lm.tokenizer().id(SmolVlmProcessor.IMAGE), 0, ModelLimits.MAX_VOCAB);
    if (imageToken < 0 || lm.tokenizer().id(SmolVlmProcessor.IMAGE) != imageToken) {
      throw new ModelFormatException(dir + ": config.json's image_token_id " + imageToken + " is not the tokenizer's "
          + SmolVlmProcessor.IMAGE + " token (" + lm.tokenizer().id(SmolVlmProcessor.IMAGE) + ")");
    }
    String jinja = chatTemplate(dir);
    try (HfVisionLoader loader = new HfVisionLoader(dir, lm.memory())) {
      VisionConfig vc = loader.config(root, lm.config().dim());
      VisionWeights vw = loader.weights(vc);
      ImageProcessorConfig ipc = ImageProcessorConfig.read(dir, vc.imageSeqLen());
      boolean v2 = "smolvlm".equals(root.path("model_type").asText())
          || root.path("architectures").toString().contains("SmolVLMForConditionalGeneration");
      return new SmolVlm(tg, vc, vw, checkSeqLen(ipc, vc, dir), imageToken, jinja, v2, onnxTower(dir, vc, settings),
          settings);
    }
  }

  /** With {@code vlm.vision-encoder: onnx}, {@code dir/onnx/vision_encoder.onnx} on ONNX Runtime; else null. */
  private static OnnxVisionEncoder onnxTower(Path dir, VisionConfig vc, VlmSettings settings) {
    if (settings.visionEncoder() != dev.longshot.config.VisionEncoder.ONNX) {
      return null;
    }
    return OnnxVisionEncoder.open(dir.resolve(OnnxVisionEncoder.FILE), vc);
  }

  private static String chatTemplate(Path dir) throws IOException {
    for (String name : List.of("chat_template.json", "tokenizer_config.json", "processor_config.json")) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        String t = ModelLimits.readJson(p).path("chat_template").asText("");
        if (!t.isEmpty()) {
          return t;
        }
      }
    }
    Path jinja = dir.resolve("chat_template.jinja");
    return Files.isRegularFile(jinja) ? Files.readString(jinja) : null;
  }

  private static ImageProcessorConfig checkSeqLen(ImageProcessorConfig ipc, VisionConfig vc, Path source) {
    if (ipc.imageSeqLen() != vc.imageSeqLen()) {
      throw new ModelFormatException(source + ": image_seq_len " + ipc.imageSeqLen() + " does not match the vision "
          + "tower, which gives (image_size/patch_size)^2 / scale_factor^2 = " + vc.imageSeqLen() + " tokens");
    }
    if (ipc.maxImageSize() > vc.imageSize() || ipc.maxImageSize() % (vc.patchSize() * vc.scaleFactor()) != 0) {
      throw new ModelFormatException(source + ": max_image_size " + ipc.maxImageSize() + " does not fit the vision "
          + "tower's image_size " + vc.imageSize() + " (patch " + vc.patchSize() + ", scale factor "
          + vc.scaleFactor() + ")");
    }
    return ipc;
  }

  public TextGenerator textGenerator() {
    return text;
  }

  public VisionEncoder visionEncoder() {
    return vision;
  }

  public SmolVlmProcessor processor() {
    return processor;
  }

  /** Tokens one generation may hold. */
  public int contextLength() {
    return text.contextLength();
  }

  /** The raw prompt: each {@code <image>} marks the next picture; pictures without a marker go first. */
  public MultimodalPrompt prompt(String prompt, List<SmolVlmProcessor.Picture> pictures) {
    return processor.build(prompt, pictures);
  }

  /**
   * SmolVLM's chat template for one user turn (optionally after a system turn):
   * {@code <|im_start|>System: ...<end_of_utterance>\nUser:<image>...text<end_of_utterance>\nAssistant:}; the user's
   * colon takes no space when the turn starts with an image, as the template writes it.
   */
  public static String chat(String system, String user) {
    StringBuilder sb = new StringBuilder("<|im_start|>");
    if (system != null && !system.isBlank()) {
      sb.append("System: ").append(system).append("<end_of_utterance>\n");
    }
    sb.append("User:").append(user.startsWith(SmolVlmProcessor.IMAGE) ? "" : " ").append(user);
    return sb.append("<end_of_utterance>\nAssistant:").toString();
  }

  /** The prompt's input embeddings: the connector's output at vision positions, null (token embedding) elsewhere. */
  public float[][] embeddings(MultimodalPrompt p) {
    float[][] out = new float[p.ids().length][];
    List<PromptLayout.Range> ranges = p.layout().visionRanges();
    long t0 = System.nanoTime();
    for (int i = 0; i < ranges.size(); i++) {
      float[][] e = onnx != null ? onnx.encode(p.tiles().get(i), p.side(), p.side())
          : vision.encode(p.tiles().get(i), p.side(), p.side());
      PromptLayout.Range r = ranges.get(i);
      if (e.length != r.length()) {
        throw new IllegalStateException("the connector gave " + e.length + " tokens for a range of " + r.length());
      }
      System.arraycopy(e, 0, out, r.start(), e.length);
    }
    LOG.log(System.Logger.Level.DEBUG, () -> ranges.size() + " tiles encoded in "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
    return out;
  }

  /**
   * Whether this is SmolVLM2 (trained on video): a Hugging Face config with {@code model_type "smolvlm"} or
   * {@code SmolVLMForConditionalGeneration}; for llama.cpp's pair, an mmproj whose {@code general.name} says SmolVLM2
   * or a preprocessor_config.json beside it naming a {@code SmolVLM*} image processor. SmolVLM (Idefics3) is not.
   */
  public boolean isSmolVlm2() {
    return smolVlm2;
  }

  /** {@link #answerPrompt(String, String, List, int, long)} without a known video duration. */
  public MultimodalPrompt answerPrompt(String system, String text, List<SmolVlmProcessor.Picture> frames,
      int maxNewTokens) {
    return answerPrompt(system, text, frames, maxNewTokens, -1);
  }

  /**
   * The answer prompt in Video-RAG's layout: the keyframes ahead of {@code text} (the retrieved speech, on-screen text
   * and object text, then the question), in SmolVLM's chat template. For SmolVLM2 with frames of one video of known
   * length ({@code videoDurationMillis >= 0}) the frames are written as SmolVLM2's processor writes a video
   * ({@link SmolVlmProcessor#buildVideo}: the "You are provided the following series of N frames from a H:MM:SS
   * [H:MM:SS] video." intro, {@code \nFrame from mm:ss:} per frame, unsplit, a blank line before the text); otherwise
   * each frame gets its {@code \nFrame from mm:ss:} label and, with {@code vlm.split-keyframes}, is split into tiles
   * plus the global view when all of the frames fit the context that way (else unsplit, logged). Frames that do not
   * fit the context next to the text and {@code maxNewTokens} are dropped, evenly over time, with a logged note; if
   * the text alone does not fit, this fails with the counts.
   */
  public MultimodalPrompt answerPrompt(String system, String text, List<SmolVlmProcessor.Picture> frames,
      int maxNewTokens, long videoDurationMillis) {
    int budget = contextLength() - maxNewTokens;
    MultimodalPrompt none = prompt(chat(system, text), List.of());
    if (none.ids().length > budget) {
      throw new IllegalArgumentException("the answer prompt's text has " + none.ids().length + " tokens, over the "
          + contextLength() + "-token context less " + maxNewTokens + " for the answer (vlm.context-length)");
    }
    boolean video = smolVlm2 && videoDurationMillis >= 0 && !frames.isEmpty()
        && frames.stream().allMatch(f -> f.timestampMillis() >= 0);
    if (!video && splitKeyframes && processor.imageProcessor().config().split() && !frames.isEmpty()) {
      List<SmolVlmProcessor.Picture> tiled = frames.stream()
          .map(f -> new SmolVlmProcessor.Picture(f.image(), f.timestampMillis(), true)).toList();
      MultimodalPrompt p = prompt(chat(system, SmolVlmProcessor.IMAGE.repeat(tiled.size()) + text), tiled);
      if (p.ids().length <= budget) {
        return p;
      }
      LOG.log(System.Logger.Level.INFO, () -> "keyframes left unsplit: split into tiles they need " + p.ids().length
          + " tokens, over the " + contextLength() + "-token context less " + maxNewTokens + " answer tokens");
    }
    List<SmolVlmProcessor.Picture> kept = frames;
    while (true) {
      MultimodalPrompt p = video ? videoPrompt(system, text, kept, videoDurationMillis)
          : prompt(chat(system, SmolVlmProcessor.IMAGE.repeat(kept.size()) + text), kept);
      if (p.ids().length <= budget || kept.isEmpty()) {
        if (kept.size() < frames.size()) {
          int k = kept.size();
          LOG.log(System.Logger.Level.INFO, () -> "dropped " + (frames.size() - k) + " of " + frames.size()
              + " keyframes: the " + contextLength() + "-token context holds " + k + " next to the "
              + none.ids().length + "-token text and " + maxNewTokens + " answer tokens");
        }
        return p;
      }
      int perFrame = Math.max(1, (p.ids().length - none.ids().length) / kept.size());
      int fit = Math.max(0, Math.min(kept.size() - 1, (budget - none.ids().length) / perFrame));
      kept = evenly(frames, fit);
    }
  }

  /** SmolVLM2's chat turn {@code User: <video>text} with the video expanded; no frames: the text alone. */
  private MultimodalPrompt videoPrompt(String system, String text, List<SmolVlmProcessor.Picture> frames,
      long durationMillis) {
    if (frames.isEmpty()) {
      return prompt(chat(system, text), List.of());
    }
    String turn = chat(system, SmolVlmProcessor.VIDEO + text);
    int at = turn.indexOf(SmolVlmProcessor.VIDEO);
    return processor.buildVideo(turn.substring(0, at), frames, durationMillis,
        turn.substring(at + SmolVlmProcessor.VIDEO.length()));
  }

  /** {@code n} of {@code all}, evenly spread, in order. */
  static <T> List<T> evenly(List<T> all, int n) {
    List<T> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) ((i + 0.5) * all.size() / n)));
    }
    return out;
  }

  /** Generates from a multimodal prompt, streaming text pieces; {@code onStep} (nullable) sees each token. */
  public String generate(MultimodalPrompt p, GenerationSettings settings, Consumer<String> onToken,
      TextGenerator.StepListener onStep) {
    if (p.ids().length >= contextLength()) {
      throw new IllegalArgumentException("the prompt has " + p.ids().length + " tokens but the context holds "
          + contextLength() + " (vlm.context-length); use fewer or unsplit images");
    }
    return text.generate(p.ids(), embeddings(p), p.layout(), settings, onToken, onStep); // layout: KV compression
  }

  /** Whether the model's own chat template is SmolVLM's ({@code <end_of_utterance>} turns). */
  public boolean hasSmolVlmChat() {
    return chatJinja.contains("<end_of_utterance>") || text.tokenizer().id("<end_of_utterance>") >= 0;
  }

  /** The ONNX tower in use ({@code vlm.vision-encoder: onnx}), or null for the Java tower. */
  public OnnxVisionEncoder onnxVisionEncoder() {
    return onnx;
  }

  @Override
  public void close() {
    if (onnx != null) {
      onnx.close();
    }
    text.close();
    text.model().close(); // the decoder's and the tower's weights: this instance loaded them
  }
}
