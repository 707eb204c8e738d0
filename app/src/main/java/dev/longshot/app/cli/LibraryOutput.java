package dev.longshot.app.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.longshot.config.DataSettings;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Keeps library output off the terminal (issue 13): the terminal shows what Longshot means to say, and everything
 * the libraries print goes to {@code <data.dir>/logs/longshot.log} ({@link DataSettings#logFile()}). Three sources
 * reach it:
 * <ul>
 *   <li>java.util.logging (Lucene's vectorization line) and SLF4J (bridged to java.util.logging by
 *       {@code slf4j-jdk14}, which also ends SLF4J's "no providers" lines): a handler appends to the log;</li>
 *   <li>the process's native stderr, fd 2 (the JVM's incubator-module warning, Leptonica's "Error in
 *       boxClipToRectangle", Tesseract, ONNX Runtime): {@code bin/longshot} starts the JVM with fd 2 on a boot file
 *       and the terminal's stderr kept as fd 3 (system properties {@value #TERMINAL_FD} and {@value #BOOT_STDERR});
 *       {@link #toLog} appends the boot file to the log and points fd 2 at the log ({@code dup2}, Linux, through
 *       JNA), so later native output follows live.</li>
 * </ul>
 * With {@code --verbose} the launcher leaves fd 2 alone and nothing here is called: all of it shows on the terminal,
 * as before. Run without the launcher (tests, {@code java ... Main}), only the logging frameworks are redirected.
 */
final class LibraryOutput {
  /** System property: the file descriptor that holds the terminal's stderr (set by {@code bin/longshot}). */
  static final String TERMINAL_FD = "longshot.terminal-fd";
  /** System property: the file the launcher pointed fd 2 at until {@link #toLog} takes it over. */
  static final String BOOT_STDERR = "longshot.boot-stderr";

  private static final int STDERR_FD = 2;
  private static Path current;

  private LibraryOutput() {}

  /** Where Longshot's own messages go: the terminal's stderr the launcher kept (fd 3), else {@link System#err}. */
  static PrintStream terminal() {
    String fd = System.getProperty(TERMINAL_FD);
    if (fd == null || !fd.matches("\\d{1,4}")) {
      return System.err;
    }
    try {
      // append: when the user's stderr is a file (`>> ingest.log 2>&1`), reopening it by path must not truncate it
      return new PrintStream(new FileOutputStream("/proc/self/fd/" + fd, true), true, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return System.err; // no such descriptor (started by hand with the property): keep the ordinary stderr
    }
  }

  /**
   * Sends library output to {@code log} ({@link DataSettings#logFile()}) from now on (idempotent per file). A log that
   * cannot be opened leaves everything where it was and says so on {@code terminal}: output is never dropped.
   */
  static synchronized void toLog(Path log, PrintStream terminal) {
    if (log.equals(current)) {
      return;
    }
    OutputStream file;
    try {
      Files.createDirectories(log.getParent());
      file = new FileOutputStream(log.toFile(), true);
    } catch (IOException | RuntimeException e) {
      terminal.println("longshot: cannot write the log " + log + " (" + e.getMessage() + "); library output stays "
          + "here");
      return;
    }
    current = log;
    LogManager.getLogManager().reset(); // drops the ConsoleHandler on stderr
    Logger.getLogger("").addHandler(new FlushingHandler(file));
    takeOverNativeStderr(log, terminal);
  }

  /** Under the launcher: the boot file's lines go to the log, then fd 2 itself points at the log. */
  private static void takeOverNativeStderr(Path log, PrintStream terminal) {
    String boot = System.getProperty(BOOT_STDERR);
    if (boot == null || System.getProperty(TERMINAL_FD) == null) {
      return;
    }
    System.err.flush();
    int fd = LibC.INSTANCE.open(log.toString(), LibC.O_WRONLY | LibC.O_CREAT | LibC.O_APPEND, 0644);
    if (fd < 0 || LibC.INSTANCE.dup2(fd, STDERR_FD) < 0) {
      terminal.println("longshot: cannot point native stderr at " + log + "; it stays in " + boot);
      return;
    }
    LibC.INSTANCE.close(fd);
    try {
      // The launcher's boot file now only holds what was written before this point; fd 2 no longer reaches it.
      Path bootFile = Path.of(boot);
      byte[] early = Files.readAllBytes(bootFile);
      try (OutputStream out = new FileOutputStream(log.toFile(), true)) {
        out.write(early);
      }
      Files.delete(bootFile);
    } catch (IOException e) {
      terminal.println("longshot: cannot move " + boot + " into " + log + " (" + e.getMessage() + ")");
    }
  }

  /** A handler that appends formatted records to the log and flushes each one (a crash loses nothing written). */
  private static final class FlushingHandler extends StreamHandler {
    FlushingHandler(OutputStream out) {
      super(out, new SimpleFormatter());
    }

    @Override
    public synchronized void publish(LogRecord r) {
      super.publish(r);
      flush();
    }
  }

  /** The three libc calls the takeover needs (Linux flag values). */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);
    int O_WRONLY = 01;
    int O_CREAT = 0100;
    int O_APPEND = 02000;

    int open(String path, int flags, int mode);

    int dup2(int oldFd, int newFd);

    int close(int fd);
  }
}
