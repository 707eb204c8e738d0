package dev.longshot.embeddings;

import dev.longshot.timeline.Durable;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URISyntaxException;
import java.net.URLConnection;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model file carried inside a jar, extracted once into a cache directory so later starts read it instead of
 * inflating it again (the bundled 133 MB BGE ONNX: ~0.9 CPU s to inflate, ~0.3 s to read back). The cached copy is
 * named after the jar entry's CRC-32 and size ({@code bge-small-en-v1.5-9b8ece24-133093490.onnx}), so another
 * version of the carrier jar gets its own file, and it is used only when its size and CRC-32 match the entry (the
 * check costs ~0.02 s); a missing, short or corrupt copy is extracted again. Written to a temporary file and
 * renamed into place, so concurrent starts never see half a file. When the directory cannot be written the bytes
 * are still returned (one warning); a resource that is not in a jar is read as it is. Thread-safe.
 */
final class ExtractedModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ExtractedModelCache.class);

  /** Largest file read into one byte array (Java arrays stop just below 2 GiB). */
  static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private ExtractedModelCache() {}

  /**
   * The bytes of {@code resource}, from the cached copy under {@code cacheDir} when it matches the jar entry, else
   * inflated from the jar (and cached).
   *
   * @throws IOException when the resource cannot be read or is larger than one array
   */
  static byte[] read(URL resource, Path cacheDir) throws IOException {
    URLConnection connection = resource.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      try (InputStream in = connection.getInputStream()) {
        return in.readAllBytes();
      }
    }
    JarEntry entry = jar.getJarEntry();
    long size = entry.getSize();
    long crc = entry.getCrc();
    if (size > MAX_BYTES) {
      throw new IOException("the entry is " + size + " bytes; at most " + MAX_BYTES + " are supported");
    }
    if (size < 0 || crc < 0) { // not recorded in the jar: no key to cache under
      return inflate(jar, size);
    }
    Path cached = cacheDir.resolve(cachedName(entry.getName(), crc, size));
    byte[] bytes = readMatching(cached, size, crc);
    if (bytes != null) {
      return bytes;
    }
    bytes = inflate(jar, size);
    if (crcOf(bytes) != crc || bytes.length != size) {
      throw new IOException("the jar entry " + entry.getName() + " does not match its own CRC-32 and size");
    }
    store(bytes, cached);
    return bytes;
  }

  /**
   * The extracted copy of {@code resource} as a file that matches the jar entry's size and CRC-32 (checked through a
   * mapped view: no copy of the model on the Java heap), extracting it first when it is missing or does not match,
   * so ONNX Runtime can read the model itself (~0.3 CPU s less per start for the 133 MB BGE than handing it a Java
   * array). A resource that is a plain file is that file. Empty when there is no such file: the entry records no
   * size or CRC-32, or the cache directory cannot be written ({@link #read} then still gives the bytes).
   *
   * @throws IOException when the resource cannot be read or is larger than one array
   */
  static Optional<Path> file(URL resource, Path cacheDir) throws IOException {
    URLConnection connection = resource.openConnection();
    if (!(connection instanceof JarURLConnection jar)) {
      if (!"file".equals(resource.getProtocol())) {
        return Optional.empty();
      }
      try {
        return Optional.of(Path.of(resource.toURI()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    JarEntry entry = jar.getJarEntry();
    long size = entry.getSize();
    long crc = entry.getCrc();
    if (size > MAX_BYTES) {
      throw new IOException("the entry is " + size + " bytes; at most " + MAX_BYTES + " are supported");
    }
    if (size < 0 || crc < 0) {
      return Optional.empty();
    }
    Path cached = cacheDir.resolve(cachedName(entry.getName(), crc, size));
    if (!matches(cached, size, crc)) {
      if (!writable(cacheDir)) {
        return Optional.empty(); // the caller reads the bytes instead: inflated once, one warning
      }
      read(resource, cacheDir); // extracts and caches it (or warns that it cannot)
      if (!matches(cached, size, crc)) {
        return Optional.empty();
      }
    }
    return Optional.of(cached);
  }

  /** Whether {@code dir} exists or can be made, and this process may write in it. */
  private static boolean writable(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.isWritable(dir);
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code cached} has exactly {@code size} bytes with CRC-32 {@code crc}, read through a mapped view. */
  private static boolean matches(Path cached, long size, long crc) {
    try {
      if (!Files.isRegularFile(cached) || Files.size(cached) != size) {
        return false;
      }
      try (FileChannel ch = FileChannel.open(cached, StandardOpenOption.READ)) {
        MappedByteBuffer view = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        CRC32 c = new CRC32();
        c.update(view);
        if (c.getValue() == crc) {
          return true;
        }
      }
      LOG.warn("cached model {} does not match its CRC-32; extracting it again", cached);
      return false;
    } catch (IOException e) {
      LOG.warn("cannot read cached model {} ({}); extracting it again", cached, e.toString());
      return false;
    }
  }

  /** {@code dir/name.ext} of the entry becomes {@code name-<crc32 hex>-<size>.ext}. */
  static String cachedName(String entryName, long crc, long size) {
    String file = entryName.substring(entryName.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    String stem = dot > 0 ? file.substring(0, dot) : file;
    String ext = dot > 0 ? file.substring(dot) : "";
    return String.format(Locale.ROOT, "%s-%08x-%d%s", stem, crc, size, ext);
  }

  /** The cached copy's bytes when it has exactly {@code size} bytes with CRC-32 {@code crc}; else null. */
  private static byte[] readMatching(Path cached, long size, long crc) {
    try {
      if (!Files.isRegularFile(cached) || Files.size(cached) != size) {
        return null;
      }
      byte[] bytes = Files.readAllBytes(cached);
      if (bytes.length == size && crcOf(bytes) == crc) {
        return bytes;
      }
      LOG.warn("cached model {} does not match its CRC-32; extracting it again", cached);
      return null;
    } catch (IOException e) {
      LOG.warn("cannot read cached model {} ({}); extracting it again", cached, e.toString());
      return null;
    }
  }

  private static byte[] inflate(JarURLConnection jar, long size) throws IOException {
    try (InputStream in = jar.getInputStream()) {
      return size >= 0 ? in.readNBytes((int) size) : in.readAllBytes();
    }
  }

  private static long crcOf(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  /**
   * Writes a temporary file next to {@code target} and publishes it with {@link Durable} (forced, atomic rename); on
   * failure (also where the directory cannot rename atomically) warns and leaves no file.
   */
  private static void store(byte[] bytes, Path target) {
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
      Files.write(tmp, bytes);
      Durable.forceAndPublish(tmp, target); // a temp name of its own: concurrent starts may extract at once
      tmp = null;
      LOG.info("extracted the bundled model to {} (later starts read it from there)", target);
    } catch (IOException e) {
      LOG.warn("cannot cache the bundled model in {} ({}); it is inflated from its jar at every start",
          target.getParent(), e.toString());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp); // our own temporary file only
        } catch (IOException ignored) {
          // nothing more to do: it is a .part file in a cache directory
        }
      }
    }
  }
}
