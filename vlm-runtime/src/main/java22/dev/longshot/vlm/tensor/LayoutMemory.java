package dev.longshot.vlm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Memory for the decode layouts ({@link Interleaved}). Decode streams each layout once per token, and with 4 KiB pages
 * one thread's stream from memory is slower (the hardware prefetcher stops at every page, each page costs a TLB
 * walk); transparent huge pages on this kind of machine are often {@code madvise}-only, and an {@link Arena}'s
 * allocation is zero-filled (so faulted in 4 KiB pages) before anyone could advise it. So on Linux a layout of at
 * least {@link #HUGE_MIN_BYTES} is mapped anonymously ({@code mmap}), aligned to 2 MiB, advised
 * {@code MADV_HUGEPAGE} and only then filled by the caller; it is unmapped when {@code arena} closes. Anywhere else,
 * for smaller layouts, or if a call fails, it comes from {@code arena.allocate} as before (same contents either way).
 */
final class LayoutMemory {
  /**
   * Layouts at least this large get huge pages: a smaller one holds no whole aligned 2 MiB page (the tail past the last
   * whole one stays in 4 KiB pages, the slack of the mapping is given back, so nothing is wasted).
   */
  static final long HUGE_MIN_BYTES = 2L << 20;
  private static final long HUGE = 2L << 20;
  private static final long PAGE = 4096;
  private static final int PROT_READ_WRITE = 0x3;
  private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
  private static final int MADV_HUGEPAGE = 14;
  private static final MethodHandle MMAP;
  private static final MethodHandle MUNMAP;
  private static final MethodHandle MADVISE;

  static {
    MethodHandle mmap = null;
    MethodHandle munmap = null;
    MethodHandle madvise = null;
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      try {
        Linker l = Linker.nativeLinker();
        var lookup = l.defaultLookup();
        mmap = l.downcallHandle(lookup.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG));
        munmap = l.downcallHandle(lookup.find("munmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        madvise = l.downcallHandle(lookup.find("madvise").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
      } catch (RuntimeException e) { // no native access or no such symbols: plain allocations
        mmap = null;
      }
    }
    MMAP = mmap;
    MUNMAP = munmap;
    MADVISE = madvise;
  }

  private LayoutMemory() {}

  /** {@code bytes} of zeroed memory, 64-byte aligned, freed with {@code arena}. */
  static MemorySegment allocate(Arena arena, long bytes) {
    return allocate(arena, bytes, HUGE_MIN_BYTES);
  }

  /** As {@link #allocate(Arena, long)}, huge pages from {@code hugeMinBytes} up (tests use a small value). */
  static MemorySegment allocate(Arena arena, long bytes, long hugeMinBytes) {
    if (MMAP == null || bytes < hugeMinBytes) {
      return arena.allocate(bytes, 64);
    }
    try {
      long len = (bytes + PAGE - 1) & -PAGE;
      long rawLen = len + HUGE;
      MemorySegment raw = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, rawLen, PROT_READ_WRITE,
          MAP_PRIVATE_ANONYMOUS, -1, 0L);
      long start = raw.address();
      if (start == -1L || start == 0L) { // MAP_FAILED
        return arena.allocate(bytes, 64);
      }
      long aligned = (start + HUGE - 1) & -HUGE;
      // give back the slack on both sides, so no 2 MiB page reaches past the layout
      unmap(start, aligned - start);
      unmap(aligned + len, start + rawLen - (aligned + len));
      MemorySegment m = MemorySegment.ofAddress(aligned).reinterpret(len, arena, s -> unmap(s.address(), len));
      int ignored = (int) MADVISE.invokeExact(m, len, MADV_HUGEPAGE); // advice: 4 KiB pages if refused
      return m.asSlice(0, bytes);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("mapping a decode layout failed", t);
    }
  }

  private static void unmap(long address, long length) {
    if (length <= 0) {
      return;
    }
    try {
      int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), length);
    } catch (Throwable t) {
      throw new IllegalStateException("unmapping a decode layout failed", t);
    }
  }
}
