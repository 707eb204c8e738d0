package dev.longshot.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longshot.config.ModelsDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model inside a real jar (deflated, as Maven packs the BGE carrier) is inflated once into the cache directory
 * and read from there afterwards; a corrupt copy is replaced; another jar version gets its own file; an unwritable
 * directory only costs the cache.
 */
class ExtractedModelCacheTest {
  @TempDir Path dir;

  private static byte[] model(int seed) {
    byte[] b = new byte[300_000];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ((i * 31 + seed) % 251 & (i % 7 == 0 ? 0xff : 0x0f)); // compressible but not constant
    }
    return b;
  }

  private URL jarWith(String jarName, String entry, byte[] bytes) throws IOException {
    Path jar = dir.resolve(jarName);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      JarEntry e = new JarEntry(entry);
      e.setMethod(JarEntry.DEFLATED);
      j.putNextEntry(e);
      j.write(bytes);
      j.closeEntry();
    }
    return URI.create("jar:" + jar.toUri() + "!/" + entry).toURL();
  }

  private static long crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return c.getValue();
  }

  @Test
  void theFirstReadExtractsTheModelAndLaterReadsUseTheCopy() throws IOException {
    byte[] bytes = model(1);
    URL url = jarWith("carrier-1.jar", "models/m.onnx", bytes);
    Path cache = dir.resolve("cache");

    assertThat(ExtractedModelCache.read(url, cache)).isEqualTo(bytes);
    Path copy = cache.resolve(String.format("m-%08x-%d.onnx", crc(bytes), bytes.length));
    assertThat(copy).exists();
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
    try (var files = Files.list(cache)) {
      assertThat(files.toList()).containsExactly(copy); // no temporary file left behind
    }

    FileTime old = FileTime.fromMillis(1_000_000);
    Files.setLastModifiedTime(copy, old);
    assertThat(ExtractedModelCache.read(url, cache)).isEqualTo(bytes);
    assertThat(Files.getLastModifiedTime(copy)).isEqualTo(old); // read, not written again
  }

  @Test
  void aCorruptCopyIsExtractedAgain() throws IOException {
    byte[] bytes = model(2);
    URL url = jarWith("carrier-2.jar", "m.onnx", bytes);
    Path cache = dir.resolve("cache");
    ExtractedModelCache.read(url, cache);
    Path copy = cache.resolve(ExtractedModelCache.cachedName("m.onnx", crc(bytes), bytes.length));
    byte[] broken = bytes.clone();
    broken[12_345] ^= 0x40;
    Files.write(copy, broken); // same size, wrong content

    assertThat(ExtractedModelCache.read(url, cache)).isEqualTo(bytes);
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);

    Files.write(copy, new byte[10]); // cut short
    assertThat(ExtractedModelCache.read(url, cache)).isEqualTo(bytes);
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
  }

  @Test
  void anotherVersionOfTheJarGetsItsOwnCopy() throws IOException {
    Path cache = dir.resolve("cache");
    byte[] v1 = model(3);
    byte[] v2 = model(4);
    assertThat(ExtractedModelCache.read(jarWith("carrier-3.jar", "m.onnx", v1), cache)).isEqualTo(v1);
    assertThat(ExtractedModelCache.read(jarWith("carrier-4.jar", "m.onnx", v2), cache)).isEqualTo(v2);
    assertThat(cache.resolve(ExtractedModelCache.cachedName("m.onnx", crc(v1), v1.length))).exists();
    assertThat(cache.resolve(ExtractedModelCache.cachedName("m.onnx", crc(v2), v2.length))).exists();
  }

  @Test
  void anUnwritableCacheDirectoryStillGivesTheModel() throws IOException {
    byte[] bytes = model(5);
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    URL url = jarWith("carrier-5.jar", "m.onnx", bytes);
    assertThat(ExtractedModelCache.read(url, notADirectory.resolve("cache"))).isEqualTo(bytes);
    assertThat(Files.readString(notADirectory)).isEqualTo("x");
  }

  @Test
  void aResourceOutsideAJarIsReadAsItIs() throws IOException {
    byte[] bytes = model(6);
    Path file = Files.write(dir.resolve("loose.onnx"), bytes);
    Path cache = dir.resolve("cache");
    assertThat(ExtractedModelCache.read(file.toUri().toURL(), cache)).isEqualTo(bytes);
    assertThat(cache).doesNotExist();
  }

  /** ONNX Runtime reads the model from the verified copy itself (no 133 MB array on the Java heap per start). */
  @Test
  void theFileIsTheVerifiedCopyExtractedAgainWhenCorrupt() throws IOException {
    byte[] bytes = model(7);
    URL url = jarWith("carrier-7.jar", "m.onnx", bytes);
    Path cache = dir.resolve("cache");
    Path copy = cache.resolve(ExtractedModelCache.cachedName("m.onnx", crc(bytes), bytes.length));

    assertThat(ExtractedModelCache.file(url, cache)).contains(copy);
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
    FileTime old = FileTime.fromMillis(1_000_000);
    Files.setLastModifiedTime(copy, old);
    assertThat(ExtractedModelCache.file(url, cache)).contains(copy);
    assertThat(Files.getLastModifiedTime(copy)).isEqualTo(old); // checked, not written again

    byte[] broken = bytes.clone();
    broken[54_321] ^= 0x01;
    Files.write(copy, broken); // same size, wrong content
    assertThat(ExtractedModelCache.file(url, cache)).contains(copy);
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
  }

  @Test
  void noFileWhereTheCacheCannotBeWrittenAndALooseResourceIsItsOwnFile() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    URL url = jarWith("carrier-8.jar", "m.onnx", model(8));
    assertThat(ExtractedModelCache.file(url, notADirectory.resolve("cache"))).isEmpty();

    Path loose = Files.write(dir.resolve("loose-8.onnx"), model(8));
    assertThat(ExtractedModelCache.file(loose.toUri().toURL(), dir.resolve("cache"))).contains(loose);
  }

  /**
   * Where the cache cannot be written, {@link ExtractedModelCache#file} gives up without inflating: the embedder
   * then reads the bytes, so the model is inflated once per start, not twice (0.9 CPU s and 133 MB each for BGE).
   */
  @Test
  void noFileForAnUnwritableCacheCostsNoInflation() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    AtomicInteger inflations = new AtomicInteger();
    URL url = counting(jarWith("carrier-9.jar", "m.onnx", model(9)), inflations);
    assertThat(ExtractedModelCache.file(url, notADirectory.resolve("cache"))).isEmpty();
    assertThat(inflations).hasValue(0);
    assertThat(ExtractedModelCache.read(url, notADirectory.resolve("cache"))).isEqualTo(model(9));
    assertThat(inflations).hasValue(1);
  }

  /** {@code jar} with connections that count how often the entry's bytes are read. */
  @SuppressWarnings("deprecation") // URL(URL, String, URLStreamHandler): the one way to give a URL its own handler
  private static URL counting(URL jar, AtomicInteger reads) throws IOException {
    return new URL(null, jar.toString(), new URLStreamHandler() {
      @Override
      protected URLConnection openConnection(URL u) throws IOException {
        JarURLConnection real = (JarURLConnection) jar.openConnection();
        return new JarURLConnection(u) {
          @Override
          public JarFile getJarFile() throws IOException {
            return real.getJarFile();
          }

          @Override
          public JarEntry getJarEntry() throws IOException {
            return real.getJarEntry();
          }

          @Override
          public void connect() throws IOException {
            real.connect();
          }

          @Override
          public InputStream getInputStream() throws IOException {
            reads.incrementAndGet();
            return real.getInputStream();
          }
        };
      }
    });
  }

  @Test
  void theNameKeysTheCopyByCrcAndSize() {
    assertThat(ExtractedModelCache.cachedName("bge-small-en-v1.5.onnx", 0x9b8ece24L, 133_093_490L))
        .isEqualTo("bge-small-en-v1.5-9b8ece24-133093490.onnx");
    assertThat(ExtractedModelCache.cachedName("dir/model", 0x1L, 5)).isEqualTo("model-00000001-5");
  }

  @Test
  void theBundledModelIsCachedUnderTheModelsDirectory() {
    assertThat(ModelSource.extractedModelsDir())
        .isEqualTo(ModelsDir.of(System.getenv()).resolve("bundled"));
    assertThat(ModelsDir.of(Map.of("HOME", "/home/u"))).isEqualTo(Path.of("/home/u/.cache/longshot/models"));
    assertThat(ModelsDir.of(Map.of("HOME", "/home/u", "LONGSHOT_MODELS_DIR", "/m"))).isEqualTo(Path.of("/m"));
  }
}
