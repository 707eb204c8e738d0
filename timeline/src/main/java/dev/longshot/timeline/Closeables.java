package dev.longshot.timeline;

import java.util.function.BiConsumer;

/** Closing on a path that is already failing or shutting down, where a second error must not hide the first. */
public final class Closeables {
  private Closeables() {}

  /** Closes {@code c} (null is fine) and drops any failure: the caller is already failing with a better message. */
  public static void closeQuietly(AutoCloseable c) {
    closeQuietly(c, (resource, e) -> { });
  }

  /** Closes {@code c} (null is fine); a failure goes to {@code onFailure} with the resource, never up. */
  public static void closeQuietly(AutoCloseable c, BiConsumer<AutoCloseable, Exception> onFailure) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      onFailure.accept(c, e);
    }
  }
}
