package dev.longshot.vlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.safetensors.SafetensorsFile;
import dev.longshot.vlm.testmodel.GgufWriter;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.tokenizer.Tokenizer;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files written by an attacker (issue 12, point 7): every count, length and offset in a GGUF or safetensors
 * header and every size in config.json is checked against the file and {@link ModelLimits} before anything is
 * allocated, and the failure is a {@link ModelFormatException} naming the file, the field and the value, never an
 * OutOfMemoryError, StackOverflowError or an unchecked exception from deeper down.
 */
class HostileModelFileTest {
  private static final int GGUF_U32 = 4;
  private static final int GGUF_F32 = 6;
  private static final int GGUF_ARRAY = 9;
  private static final int F32 = 0;

  @TempDir
  Path dir;

  private static byte[] arrayHeader(int elementType, long count) {
    return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(elementType).putLong(count).array();
  }

  /** A metadata-only GGUF whose one array value is {@code raw}. */
  private Path ggufWithArray(String name, byte[] raw) throws Exception {
    Path f = dir.resolve(name);
    new GgufWriter().put("general.architecture", "llama").put("tokenizer.ggml.scores",
        new GgufWriter.Raw(GGUF_ARRAY, raw)).write(f);
    return f;
  }

  @Test
  void anArrayOfTwoToTheFortyElementsIsRefusedBeforeAllocation() throws Exception {
    Path f = ggufWithArray("huge-array.gguf", arrayHeader(GGUF_F32, 1L << 40));
    assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("huge-array.gguf").hasMessageContaining("tokenizer.ggml.scores")
        .hasMessageContaining("1099511627776");
  }

  @Test
  void anArrayLongerThanTheRestOfTheFileIsRefusedBeforeAllocation() throws Exception {
    // 2^28 floats (1 GiB) claimed in a 300 MiB (sparse) file: under the old "count <= file size" bound, so the old
    // parser allocated the 1 GiB array first and only then ran off the end.
    Path f = ggufWithArray("long-array.gguf", arrayHeader(GGUF_F32, 1L << 28));
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(300L << 20);
    }
    assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("long-array.gguf").hasMessageContaining("tokenizer.ggml.scores")
        .hasMessageContaining("268435456");
  }

  @Test
  void deeplyNestedArraysStopAtTheNestingLimit() throws Exception {
    int depth = 100_000;
    ByteBuffer raw = ByteBuffer.allocate(12 * depth + 12).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < depth; i++) {
      raw.putInt(GGUF_ARRAY).putLong(1);
    }
    raw.putInt(GGUF_U32).putLong(0);
    Path f = ggufWithArray("nested.gguf", raw.array());
    assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("nested.gguf").hasMessageContaining("tokenizer.ggml.scores")
        .hasMessageContaining("nest").hasMessageContaining(String.valueOf(ModelLimits.MAX_GGUF_ARRAY_NESTING));
  }

  /** A GGUF header that is valid up to the layer count, with one real (tiny) embedding tensor. */
  private Path ggufWithBlockCount(String name, Object blockCount) throws Exception {
    Path f = dir.resolve(name);
    new GgufWriter().put("general.architecture", "llama").put("llama.embedding_length", 64)
        .put("llama.attention.head_count", 4).put("llama.feed_forward_length", 96)
        .put("llama.block_count", blockCount)
        .tensor("token_embd.weight", new long[] {64, 10}, F32, new byte[2560]).write(f);
    return f;
  }

  @Test
  void twoToTheThirtyOneLayersAreRefusedWithTheKeyAndTheValue() throws Exception {
    Path u64 = ggufWithBlockCount("layers-u64.gguf", 1L << 31);
    assertThatThrownBy(() -> LoadedModel.load(u64)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("layers-u64.gguf").hasMessageContaining("llama.block_count")
        .hasMessageContaining("2147483648");
    Path u32 = ggufWithBlockCount("layers-u32.gguf", Integer.MAX_VALUE);
    assertThatThrownBy(() -> LoadedModel.load(u32)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("llama.block_count").hasMessageContaining("2147483647");
    // 2^32 + 2 must not be read as 2 layers
    Path wrapped = ggufWithBlockCount("layers-wrapped.gguf", (1L << 32) + 2);
    assertThatThrownBy(() -> LoadedModel.load(wrapped)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("llama.block_count").hasMessageContaining("4294967298");
  }

  private Path ggufWithTensors(String name, GgufWriter w) throws Exception {
    Path f = dir.resolve(name);
    w.put("general.architecture", "llama").write(f);
    return f;
  }

  @Test
  void tensorOffsetsPastTheEndOrWrappingAroundAreRefused() throws Exception {
    Path past = ggufWithTensors("past.gguf", new GgufWriter()
        .tensorHeader("a.weight", new long[] {8}, F32, 1L << 20));
    assertThatThrownBy(() -> GgufFile.open(past)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("past.gguf").hasMessageContaining("a.weight").hasMessageContaining("1048576");
    // dataStart + offset overflows a long and came out negative, passing "end > file size"
    long wrap = Long.MAX_VALUE - 16;
    Path wraps = ggufWithTensors("wraps.gguf", new GgufWriter()
        .tensorHeader("b.weight", new long[] {8}, F32, wrap));
    assertThatThrownBy(() -> GgufFile.open(wraps)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("b.weight").hasMessageContaining(String.valueOf(wrap));
    Path negative = ggufWithTensors("negative.gguf", new GgufWriter()
        .tensorHeader("c.weight", new long[] {8}, F32, -64));
    assertThatThrownBy(() -> GgufFile.open(negative)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("c.weight").hasMessageContaining("offset").hasMessageContaining("-64");
  }

  @Test
  void overlappingTensorsAreRefused() throws Exception {
    Path f = ggufWithTensors("overlap.gguf", new GgufWriter()
        .tensor("first.weight", new long[] {32}, F32, new byte[128])
        .tensorHeader("second.weight", new long[] {16}, F32, 32));
    assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("overlap.gguf").hasMessageContaining("first.weight")
        .hasMessageContaining("second.weight");
  }

  @Test
  void tensorDimensionsWhoseProductOverflowsAreRefused() throws Exception {
    // 2^16 four times is 2^64 elements, 0 after overflow: the old check saw a zero-byte tensor. Each dimension is
    // within the old per-dimension bound once the file passes 32 KiB, hence the padding string.
    long d = 1L << 16;
    Path f = ggufWithTensors("product.gguf", new GgufWriter().put("general.name", "x".repeat(40_000))
        .tensorHeader("big.weight", new long[] {d, d, d, d}, F32, 0));
    assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("product.gguf").hasMessageContaining("big.weight").hasMessageContaining("65536");
  }

  private Path safetensors(String name, String json, int dataBytes, long claimedHeaderLength) throws Exception {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    Path f = dir.resolve(name);
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(claimedHeaderLength < 0 ? header.length : claimedHeaderLength).put(header);
    Files.write(f, b.array());
    return f;
  }

  @Test
  void aSafetensorsHeaderLongerThanTheFileIsRefused() throws Exception {
    Path f = safetensors("long-header.safetensors", "{}", 0, 1L << 40);
    assertThatThrownBy(() -> SafetensorsFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("long-header.safetensors").hasMessageContaining("header length")
        .hasMessageContaining("1099511627776");
  }

  @Test
  void safetensorsShapesWhoseProductOverflowsOrIsNegativeAreRefused() throws Exception {
    Path overflow = safetensors("overflow.safetensors",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", 0, -1);
    assertThatThrownBy(() -> SafetensorsFile.open(overflow)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("overflow.safetensors").hasMessageContaining("'w'")
        .hasMessageContaining("4294967296");
    Path negative = safetensors("negative.safetensors",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2,-2],\"data_offsets\":[0,16]}}", 16, -1);
    assertThatThrownBy(() -> SafetensorsFile.open(negative)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("negative.safetensors").hasMessageContaining("'w'").hasMessageContaining("-2");
    Path text = safetensors("text.safetensors",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"four\"],\"data_offsets\":[0,16]}}", 16, -1);
    assertThatThrownBy(() -> SafetensorsFile.open(text)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("'w'").hasMessageContaining("four");
  }

  @Test
  void overlappingSafetensorsRangesAreRefused() throws Exception {
    Path f = safetensors("overlap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}", 24, -1);
    assertThatThrownBy(() -> SafetensorsFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("overlap.safetensors").hasMessageContaining("'a'").hasMessageContaining("'b'");
  }

  private Path hfWith(String name, String key, long value) throws Exception {
    return hfEdited(name, "config.json", cfg -> cfg.put(key, value));
  }

  /** A tiny Hugging Face model in {@code name} whose JSON {@code file} went through {@code edit}. */
  private Path hfEdited(String name, String file, Consumer<ObjectNode> edit) throws Exception {
    Path hf = dir.resolve(name);
    new RandomModel(ModelSpec.tinyLlama(), 3).writeHuggingFace(hf);
    ObjectMapper om = new ObjectMapper();
    ObjectNode root = (ObjectNode) om.readTree(hf.resolve(file).toFile());
    edit.accept(root);
    om.writeValue(hf.resolve(file).toFile(), root);
    return hf;
  }

  @Test
  void absurdConfigJsonSizesAreRefusedWithTheKeyAndTheValue() throws Exception {
    Path layers = hfWith("layers", "num_hidden_layers", Integer.MAX_VALUE);
    assertThatThrownBy(() -> LoadedModel.load(layers)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("config.json").hasMessageContaining("num_hidden_layers")
        .hasMessageContaining("2147483647");
    Path hidden = hfWith("hidden", "hidden_size", 1L << 40);
    assertThatThrownBy(() -> LoadedModel.load(hidden)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("hidden_size").hasMessageContaining("1099511627776");
    Path vocab = hfWith("vocab", "vocab_size", -5);
    assertThatThrownBy(() -> LoadedModel.load(vocab)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("vocab_size").hasMessageContaining("-5");
    // an optional key read with asInt() wrapped silently: 2^40 + 256 became a 256-token context
    Path context = hfWith("context", "max_position_embeddings", (1L << 40) + 256);
    assertThatThrownBy(() -> LoadedModel.load(context)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("max_position_embeddings").hasMessageContaining("1099511628032");
  }

  @Test
  void aTokenIdThatWouldSizeAHugeVocabularyIsRefused() throws Exception {
    Path hf = hfEdited("tok", "tokenizer.json",
        tok -> ((ObjectNode) tok.path("model").path("vocab")).put("hostile", Integer.MAX_VALUE - 1));
    assertThatThrownBy(() -> LoadedModel.load(hf)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("tokenizer.json").hasMessageContaining("hostile")
        .hasMessageContaining("2147483646");
  }

  @Test
  void visionTowersClaimingAbsurdLayerCountsAreRefusedBeforeTheLayersAreAllocated() throws Exception {
    Path mmproj = dir.resolve("mmproj.gguf");
    new GgufWriter().put("clip.projector_type", "idefics3").put("clip.vision.embedding_length", 64)
        .put("clip.vision.feed_forward_length", 96).put("clip.vision.block_count", Integer.MAX_VALUE)
        .put("clip.vision.attention.head_count", 4).put("clip.vision.image_size", 64)
        .put("clip.vision.patch_size", 16).put("clip.vision.projector.scale_factor", 2).write(mmproj);
    try (GgufFile f = GgufFile.open(mmproj)) {
      assertThatThrownBy(() -> new dev.longshot.vlm.vision.MmprojVisionLoader(f).config(64))
          .isInstanceOf(ModelFormatException.class).hasMessageContaining("mmproj.gguf")
          .hasMessageContaining("clip.vision.block_count").hasMessageContaining("2147483647");
    }
    ObjectNode root = new ObjectMapper().createObjectNode();
    root.putObject("vision_config").put("hidden_size", 64).put("intermediate_size", 96)
        .put("num_hidden_layers", Integer.MAX_VALUE).put("num_attention_heads", 4).put("image_size", 64)
        .put("patch_size", 16);
    Path hf = Files.createDirectories(dir.resolve("vision-hf"));
    try (var loader = new dev.longshot.vlm.vision.HfVisionLoader(hf)) {
      assertThatThrownBy(() -> loader.config(root, 64)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("vision_config.num_hidden_layers").hasMessageContaining("2147483647");
    }
  }

  @Test
  void namesFullOfControlBytesAndMegabytesLongGiveABoundedOneLineMessage() throws Exception {
    // a metadata key holding newlines and a terminal escape, a megabyte long, then an unknown value type: the old
    // message quoted the key raw (a 1 MB error spread over lines that clears the user's terminal)
    Path f = dir.resolve("escape.gguf");
    String key = "\n\u001b[2J" + "k".repeat(1 << 20) + "\r\nInjected: yes";
    new GgufWriter().put(key, new GgufWriter.Raw(99, new byte[8])).write(f);
    assertThatThrownBy(() -> GgufFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("escape.gguf").hasMessageContaining("unknown value type 99")
        .hasMessageContaining("\\u001b[2J").satisfies(e -> {
          assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u001b")
              .hasSizeLessThanOrEqualTo(dev.longshot.config.OneLine.MAX_CHARS);
        });
  }

  @Test
  void aSafetensorsHeaderThatIsNotJsonGivesOneLineWithTheOffset() throws Exception {
    // Jackson's getMessage() appends "\n at [Source: ...]": the old message ran over two lines
    Path f = safetensors("not-json.safetensors", "{\"w\": {\"dtype\" \"F32\"}}", 0, -1);
    assertThatThrownBy(() -> SafetensorsFile.open(f)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("not-json.safetensors").hasMessageContaining("not valid JSON")
        .hasMessageContaining("line 1, column ").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\\n"));
  }

  @Test
  void aTokenizerRegexThatDoesNotCompileIsAModelFormatError() throws Exception {
    // the old code let java.util.regex.PatternSyntaxException (three lines, no file name) escape the loader
    Path hf = hfEdited("bad-regex", "tokenizer.json", tok -> ((ObjectNode) tok.path("pre_tokenizer")
        .path("pretokenizers").get(0).path("pattern")).put("Regex", "(?i.:x)"));
    assertThatThrownBy(() -> LoadedModel.load(hf)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("tokenizer.json").hasMessageContaining("(?i.:x)")
        .hasMessageContaining("Unknown inline modifier").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // safety net only: the bound is the counter
  void aTokenizerRegexThatBacktracksCatastrophicallyIsRefusedNotAHang() throws Exception {
    // eight greedy runs in a row against "aaaa...a!" try every way of cutting the a's into eight (about 10^9) before
    // the b fails: without the bound this held serve for minutes
    Path hf = hfEdited("redos", "tokenizer.json", tok -> ((ObjectNode) tok.path("pre_tokenizer")
        .path("pretokenizers").get(0).path("pattern")).put("Regex", "a*".repeat(8) + "b"));
    Tokenizer tokenizer = LoadedModel.load(hf).tokenizer();
    String text = "a".repeat(64) + "!";
    assertThatThrownBy(() -> tokenizer.encode(text)).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("redos").hasMessageContaining("tokenizer.json").hasMessageContaining("a*a*a*a*a*a*a*a*b")
        .hasMessageContaining("65-character").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aTokenizerRegexWhoseWorkTheBoundCannotSeeIsRefusedAtLoad() throws Exception {
    // java.util.regex works without reading the text where a group matches the empty text in two ways: forty of them
    // before \z try 2^40 ways at every position, reading nothing, so the counter never stops them (the old code hung
    // serve at the first prompt); a back-reference is refused with them
    for (String regex : new String[] {"(?:|)".repeat(40) + "\\z", "(a+)+\\1$"}) {
      Path hf = hfEdited("shape" + regex.length(), "tokenizer.json", tok -> ((ObjectNode) tok.path("pre_tokenizer")
          .path("pretokenizers").get(0).path("pattern")).put("Regex", regex));
      assertThatThrownBy(() -> LoadedModel.load(hf)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("tokenizer.json").hasMessageContaining(regex).hasMessageContaining("is not supported")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void aTokenizerRegexThatRecursesPerCharacterIsRefusedNotAStackOverflow() throws Exception {
    // java.util.regex recurses once per repetition of a group: (?:a|b)* over a long text overflows the stack
    Path hf = hfEdited("deep", "tokenizer.json", tok -> ((ObjectNode) tok.path("pre_tokenizer")
        .path("pretokenizers").get(0).path("pattern")).put("Regex", "(?:a|b)*"));
    Tokenizer tokenizer = LoadedModel.load(hf).tokenizer();
    assertThatThrownBy(() -> tokenizer.encode("ab".repeat(200_000))).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("tokenizer.json").hasMessageContaining("(?:a|b)*");
  }

  @Test
  void theRealTinyModelsStillLoad() throws Exception {
    Path gguf = dir.resolve("ok.gguf");
    new RandomModel(ModelSpec.tinyLlama(), 3).writeGguf(gguf, 8);
    assertThat(LoadedModel.load(gguf).config().layers()).isEqualTo(2);
    Path hf = dir.resolve("ok-hf");
    new RandomModel(ModelSpec.tinyQwen2(), 3).writeHuggingFace(hf);
    assertThat(LoadedModel.load(hf).config().layers()).isEqualTo(2);
  }
}
