package dev.longshot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One process per data directory; the cross-process case is {@code CrashSafetyTest} in the web module. */
class DataDirLockTest {
  @TempDir Path dir;

  @Test
  void aSecondHolderIsRefusedWithTheHoldersPidAndTheLockIsFreeAfterClose() throws Exception {
    try (DataDirLock first = DataDirLock.acquire(dir)) {
      assertThat(Files.readString(dir.resolve(DataDirLock.FILE)).trim()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
      assertThatThrownBy(() -> DataDirLock.acquire(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another Longshot process")
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining("data.dir");
    }
    DataDirLock.acquire(dir).close();
  }
}
