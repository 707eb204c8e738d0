package dev.longshot.config.fuzz;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs a parser over mutated inputs and collects the ones it handled badly: anything thrown other than the declared
 * exception types (OutOfMemoryError, NegativeArraySizeException, ArrayIndexOutOfBoundsException, ArithmeticException,
 * NullPointerException...), a declared exception without a one-line message, or a call that allocated more than
 * {@code maxAllocatedBytes} (a header's absurd count taken at its word). The report names the seed and mutant index.
 */
public final class FuzzCheck<T> {
  /** The parse of one input; throwing any of the declared types is a clean refusal. */
  @FunctionalInterface
  public interface Parse<T> {
    void accept(T input) throws Exception;
  }

  private final String what;
  private final long seed;
  private final Set<Class<? extends Throwable>> declared;
  private final long maxAllocatedBytes;
  private final List<String> faults = new ArrayList<>();
  private String mustName;
  private int parsed;
  private int refused;

  @SafeVarargs
  public FuzzCheck(String what, long seed, long maxAllocatedBytes, Class<? extends Throwable>... declared) {
    this.what = what;
    this.seed = seed;
    this.maxAllocatedBytes = maxAllocatedBytes;
    this.declared = Set.of(declared);
  }

  /** Also requires every refusal's message to contain {@code text} (the file name). */
  public FuzzCheck<T> mustName(String text) {
    this.mustName = text;
    return this;
  }

  /** Runs {@code parse} on every input, recording faults; never throws. */
  public FuzzCheck<T> run(List<T> inputs, Parse<T> parse) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    for (int i = 0; i < inputs.size(); i++) {
      long before = mx.getThreadAllocatedBytes(tid);
      try {
        parse.accept(inputs.get(i));
        parsed++;
      } catch (Throwable t) {
        if (declared.stream().noneMatch(c -> c.isInstance(t))) {
          fault(i, "threw " + t, t);
        } else if (t.getMessage() == null || t.getMessage().isBlank() || t.getMessage().contains("\n")
            || t.getMessage().contains("\r")) {
          fault(i, "message is not one line: " + t, t);
        } else if (mustName != null && !t.getMessage().contains(mustName)) {
          fault(i, "message does not name " + mustName + ": " + t, t);
        } else {
          refused++;
        }
      }
      long allocated = mx.getThreadAllocatedBytes(tid) - before;
      if (allocated > maxAllocatedBytes) {
        fault(i, "allocated " + allocated + " bytes (limit " + maxAllocatedBytes + ")", null);
      }
    }
    return this;
  }

  private void fault(int index, String text, Throwable t) {
    if (faults.size() < 8) {
      String at = "";
      if (t != null && t.getStackTrace().length > 0) {
        at = " at " + t.getStackTrace()[0];
      }
      String line = printable(text + at);
      faults.add("  mutant " + index + ": " + (line.length() > 400 ? line.substring(0, 400) + "..." : line));
    } else if (faults.size() == 8) {
      faults.add("  ...");
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 1000));
    for (int i = 0; i < s.length() && b.length() < 1000; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }

  public int parsed() {
    return parsed;
  }

  public int refused() {
    return refused;
  }

  /** Empty when every input parsed or was refused cleanly; else a report naming the seed and mutants. */
  public List<String> faults() {
    if (faults.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    out.add(what + " (seed " + seed + ", " + parsed + " parsed, " + refused + " refused cleanly):");
    out.addAll(faults);
    return out;
  }
}
