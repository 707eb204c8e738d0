package dev.longshot.vlm.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longshot.config.fuzz.FuzzCheck;
import dev.longshot.config.fuzz.Mutations;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.model.LoadedModel;
import dev.longshot.vlm.multimodal.ImageProcessorConfig;
import dev.longshot.vlm.safetensors.SafetensorsFile;
import dev.longshot.vlm.tensor.GgmlType;
import dev.longshot.vlm.tensor.WeightStorage;
import dev.longshot.vlm.testmodel.ModelSpec;
import dev.longshot.vlm.testmodel.RandomModel;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import dev.longshot.vlm.vision.MmprojVisionLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of every model file a user may bring (GGUF decoder and mmproj, safetensors, config.json,
 * tokenizer.json, preprocessor_config.json): a few thousand seeded mutants of a valid tiny file each either load or
 * fail with a {@link ModelFormatException} carrying a one-line message, never another exception and never a large
 * allocation. A failure prints the seed and the mutant index ({@link Mutations} replays them).
 */
class ModelFileFuzzTest {
  private static final long SEED = 20261202L;
  /** Far above what the tiny valid files need (a few MiB), far below what an absurd header count would ask for. */
  private static final long MAX_ALLOCATED = 256L << 20;

  @TempDir
  Path dir;

  private static FuzzCheck<byte[]> check(String what) {
    return new FuzzCheck<>(what, SEED, MAX_ALLOCATED, ModelFormatException.class);
  }

  /** Bytes before the tensor data: where the header, metadata and tensor infos live. */
  private static int ggufHeaderBytes(Path file) throws Exception {
    long data = 0;
    try (GgufFile f = GgufFile.open(file)) {
      for (GgufFile.TensorInfo t : f.tensors().values()) {
        data += GgmlType.ofId(t.typeId()).byteSize(t.elementCount());
      }
    }
    return (int) (Files.size(file) - data);
  }

  /** One key per line, so that duplicating a line duplicates a key. */
  private static String pretty(String json) throws Exception {
    ObjectMapper om = new ObjectMapper();
    return om.writerWithDefaultPrettyPrinter().writeValueAsString(om.readTree(json));
  }

  @Test
  void mutatedGgufDecodersLoadOrFailWithOneLine() throws Exception {
    Path valid = dir.resolve("valid.gguf");
    new RandomModel(ModelSpec.tinyLlama(), 3).writeGguf(valid, 8);
    byte[] sample = Files.readAllBytes(valid);
    Path f = dir.resolve("mutant.gguf");
    FuzzCheck<byte[]> c = check("GGUF decoder").run(Mutations.binary(sample, SEED, 1000, ggufHeaderBytes(valid)),
        b -> {
          Files.write(f, b);
          LoadedModel.load(f, WeightStorage.HEAP).close();
        });
    assertThat(c.faults()).isEmpty();
    assertThat(c.refused()).isGreaterThan(500);
  }

  @Test
  void mutatedMmprojFilesLoadOrFailWithOneLine() throws Exception {
    RandomSmolVlm vlm = RandomSmolVlm.tiny(5);
    Path pair = dir.resolve("pair");
    vlm.writeGgufPair(pair);
    Path valid = Files.list(pair).filter(p -> p.getFileName().toString().startsWith("mmproj")).findFirst()
        .orElseThrow();
    byte[] sample = Files.readAllBytes(valid);
    Path f = dir.resolve("mutant-mmproj.gguf");
    FuzzCheck<byte[]> c = check("GGUF mmproj").run(Mutations.binary(sample, SEED, 600, ggufHeaderBytes(valid)),
        b -> {
          Files.write(f, b);
          try (GgufFile g = GgufFile.open(f)) {
            MmprojVisionLoader loader = new MmprojVisionLoader(g);
            loader.weights(loader.config(64));
          }
        });
    assertThat(c.faults()).isEmpty();
  }

  @Test
  void mutatedSafetensorsOpenOrFailWithOneLine() throws Exception {
    Path hf = dir.resolve("hf");
    new RandomModel(ModelSpec.tinyQwen2(), 3).writeHuggingFace(hf);
    byte[] sample = Files.readAllBytes(hf.resolve("model.safetensors"));
    int header = 8 + (int) ByteBuffer.wrap(sample).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    Path f = dir.resolve("mutant.safetensors");
    List<byte[]> mutants = new java.util.ArrayList<>(Mutations.binary(sample, SEED, 600, header));
    // the JSON header mutated as text, the length field kept true
    for (String json : Mutations.text(pretty(new String(sample, 8, header - 8, StandardCharsets.UTF_8)), SEED, 600)) {
      byte[] j = json.getBytes(StandardCharsets.UTF_8);
      ByteBuffer b = ByteBuffer.allocate(8 + j.length + sample.length - header).order(ByteOrder.LITTLE_ENDIAN);
      mutants.add(b.putLong(j.length).put(j).put(sample, header, sample.length - header).array());
    }
    FuzzCheck<byte[]> c = check("safetensors").run(mutants, b -> {
      Files.write(f, b);
      try (SafetensorsFile s = SafetensorsFile.open(f)) {
        for (String name : s.entries().keySet()) {
          s.tensor(name);
        }
      }
    });
    assertThat(c.faults()).isEmpty();
  }

  private FuzzCheck<String> jsonCheck(String what, Path hf, String file, int count) throws Exception {
    String sample = pretty(Files.readString(hf.resolve(file)));
    byte[] original = Files.readAllBytes(hf.resolve(file));
    FuzzCheck<String> c = new FuzzCheck<String>(what, SEED, MAX_ALLOCATED, ModelFormatException.class)
        .run(Mutations.text(sample, SEED, count), s -> {
          Files.write(hf.resolve(file), s.getBytes(StandardCharsets.UTF_8));
          LoadedModel.load(hf, WeightStorage.HEAP).close();
        });
    Files.write(hf.resolve(file), original);
    return c;
  }

  @Test
  void mutatedConfigAndTokenizerJsonLoadOrFailWithOneLine() throws Exception {
    Path hf = dir.resolve("hf");
    new RandomModel(ModelSpec.tinyLlama(), 3).writeHuggingFace(hf);
    assertThat(jsonCheck("config.json", hf, "config.json", 600).faults()).isEmpty();
    assertThat(jsonCheck("tokenizer.json", hf, "tokenizer.json", 400).faults()).isEmpty();
    assertThat(jsonCheck("tokenizer_config.json", hf, "tokenizer_config.json", 300).faults()).isEmpty();
  }

  @Test
  void mutatedPreprocessorConfigsReadOrFailWithOneLine() throws Exception {
    Path hf = dir.resolve("smol");
    RandomSmolVlm.tiny(5).writeHuggingFace(hf);
    Path pre = hf.resolve("preprocessor_config.json");
    String sample = pretty(Files.readString(pre));
    FuzzCheck<String> c = new FuzzCheck<String>("preprocessor_config.json", SEED, MAX_ALLOCATED,
        ModelFormatException.class).run(Mutations.text(sample, SEED, 1500), s -> {
          Files.write(pre, s.getBytes(StandardCharsets.UTF_8));
          ImageProcessorConfig.read(hf, 64);
        });
    assertThat(c.faults()).isEmpty();
  }
}
