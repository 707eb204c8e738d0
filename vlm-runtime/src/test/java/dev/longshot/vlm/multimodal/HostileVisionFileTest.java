package dev.longshot.vlm.multimodal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshot.config.VlmSettings;
import dev.longshot.vlm.ModelFormatException;
import dev.longshot.vlm.gguf.GgufFile;
import dev.longshot.vlm.testmodel.GgufWriter;
import dev.longshot.vlm.testmodel.RandomSmolVlm;
import dev.longshot.vlm.vision.HfVisionLoader;
import dev.longshot.vlm.vision.MmprojVisionLoader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SmolVLM directory, mmproj or image written by an attacker: every size and constant in preprocessor_config.json,
 * processor_config.json, config.json's vision part and an image header is checked before it sizes anything, and
 * fails with one {@link ModelFormatException} (or IOException for images) naming the file, the field and the value;
 * {@code asInt()} would have wrapped 2^32 + 64 to 64 or read "64" and 64.5 as 64.
 */
class HostileVisionFileTest {
  private final ObjectMapper om = new ObjectMapper();
  @TempDir
  Path dir;
  private Path hf;

  @BeforeEach
  void writeModel() throws Exception {
    hf = dir.resolve("hf");
    RandomSmolVlm.tiny(5).writeHuggingFace(hf);
  }

  private void edit(String file, Consumer<ObjectNode> change) throws Exception {
    ObjectNode n = (ObjectNode) om.readTree(hf.resolve(file).toFile());
    change.accept(n);
    om.writeValue(hf.resolve(file).toFile(), n);
  }

  private void refused(String file, Consumer<ObjectNode> change, String... parts) throws Exception {
    byte[] before = Files.readAllBytes(hf.resolve(file));
    edit(file, change);
    try {
      var t = assertThatThrownBy(() -> ImageProcessorConfig.read(hf, 16)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining(file);
      for (String p : parts) {
        t.hasMessageContaining(p);
      }
      t.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    } finally {
      Files.write(hf.resolve(file), before);
    }
  }

  @Test
  void hostileProcessorConfigsAreRefusedNamingTheFileTheFieldAndTheValue() throws Exception {
    String pre = "preprocessor_config.json";
    refused("processor_config.json", n -> n.put("image_seq_len", (1L << 32) + 64), "image_seq_len", "4294967360");
    refused("processor_config.json", n -> n.put("image_seq_len", "64"), "image_seq_len", "\"64\"");
    refused("processor_config.json", n -> n.put("image_seq_len", 64.5), "image_seq_len", "64.5");
    refused("processor_config.json", n -> n.put("image_seq_len", -1), "image_seq_len", "-1");
    refused(pre, n -> n.putObject("size").put("longest_edge", Integer.MAX_VALUE), "size.longest_edge", "2147483647");
    refused(pre, n -> n.putObject("size").put("longest_edge", 0), "size.longest_edge", "is 0");
    refused(pre, n -> n.putObject("max_image_size").put("longest_edge", 1L << 40), "max_image_size.longest_edge",
        "1099511627776");
    refused(pre, n -> n.put("rescale_factor", "NaN"), "rescale_factor");
    refused(pre, n -> n.put("rescale_factor", -1), "rescale_factor", "-1");
    refused(pre, n -> n.putArray("image_std").add(0.5).add(0).add(0.5), "image_std[1]", "0");
    refused(pre, n -> n.putArray("image_mean").add(0.5).add(0.5), "image_mean", "[0.5,0.5]");
    refused(pre, n -> n.put("image_mean", "grey"), "image_mean", "grey");
    refused(pre, n -> n.put("do_image_splitting", "yes"), "do_image_splitting", "yes");
    // the model file itself is untouched and still loads
    assertThat(ImageProcessorConfig.read(hf, 16).imageSeqLen()).isEqualTo(16);
    // HF's single-number form of the mean is accepted
    edit(pre, n -> n.put("image_mean", 0.25));
    assertThat(ImageProcessorConfig.read(hf, 16).mean()).containsExactly(0.25f, 0.25f, 0.25f);
  }

  @Test
  void hostileVisionConfigsAndImageTokenIdsAreRefused() throws Exception {
    JsonNode root = om.readTree(hf.resolve("config.json").toFile());
    try (HfVisionLoader loader = new HfVisionLoader(hf)) {
      ObjectNode wrapped = root.deepCopy();
      ((ObjectNode) wrapped.path("vision_config")).put("hidden_size", (1L << 32) + 32);
      assertThatThrownBy(() -> loader.config(wrapped, 64)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("config.json").hasMessageContaining("vision_config.hidden_size")
          .hasMessageContaining("4294967328");
      ObjectNode eps = root.deepCopy();
      ((ObjectNode) eps.path("vision_config")).put("layer_norm_eps", "small");
      assertThatThrownBy(() -> loader.config(eps, 64)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("vision_config.layer_norm_eps").hasMessageContaining("small");
      // hidden 2^17 x scale 2^4 squared overflows nothing in long but is far past any connector
      ObjectNode wide = root.deepCopy();
      ((ObjectNode) wide.path("vision_config")).put("hidden_size", 1 << 17).put("num_attention_heads", 1)
          .put("image_size", 1 << 13).put("patch_size", 1);
      wide.put("scale_factor", 1 << 12);
      assertThatThrownBy(() -> loader.config(wide, 64)).isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("connector's input width").hasMessageContaining("131072");
    }
    edit("config.json", n -> n.put("image_token_id", (1L << 32) + 5));
    assertThatThrownBy(() -> SmolVlm.load(hf, new VlmSettings(hf, 1, 256, 4)))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("config.json")
        .hasMessageContaining("image_token_id").hasMessageContaining("4294967301");
  }

  @Test
  void hostileMmprojMeansAreRefused() throws Exception {
    Path mmproj = dir.resolve("mmproj.gguf");
    new GgufWriter().put("clip.projector_type", "idefics3").put("clip.vision.image_std", new String[] {"a", "b", "c"})
        .write(mmproj);
    try (GgufFile f = GgufFile.open(mmproj)) {
      assertThatThrownBy(() -> new MmprojVisionLoader(f).floats3("clip.vision.image_std", new float[3]))
          .isInstanceOf(ModelFormatException.class).hasMessageContaining("mmproj.gguf")
          .hasMessageContaining("clip.vision.image_std").hasMessageContaining("[a, b, c]");
    }
  }

  @Test
  void anImageHeaderClaimingBillionsOfPixelsIsRefusedBeforeDecoding() throws Exception {
    Path png = dir.resolve("huge.png");
    Files.write(png, pngHeader(200_000, 200_000));
    assertThatThrownBy(() -> RgbImage.read(png)).hasMessageContaining("huge.png")
        .hasMessageContaining("200000x200000").hasMessageContaining("allowed");
  }

  /** A PNG signature, an IHDR chunk (8-bit RGB) with its CRC, an empty IDAT and IEND: enough header to size. */
  static byte[] pngHeader(int w, int h) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(ihdr);
    d.writeInt(w);
    d.writeInt(h);
    d.write(new byte[] {8, 2, 0, 0, 0});
    chunk(out, "IHDR", ihdr.toByteArray());
    chunk(out, "IDAT", new byte[0]);
    chunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws Exception {
    out.writeInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
