package dev.longshot.vlm.tensor;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * {@link NativeGemm} on oneDNN's matmul primitive (the JavaCPP preset, OpenMP build). Per call: the activations are
 * copied once into native memory ({@code [n][cols]}, bfloat16 for {@link NativeGemm.Precision#BF16}, else float32);
 * the quantised types' activations rounded ({@link Q8Activation#round}) and converted in one vector pass
 * ({@link #roundToBf16}); per job, slices of at most {@link NativeGemm#sliceFloats} weights are dequantised by all
 * threads into native memory of the same type: weights with a decode layout in 16-row groups straight into oneDNN's
 * blocked bf16 layout ({@link BlockedBf16}, which its AMX kernels read without a reorder), others by {@code copyTo}
 * as {@code [rows][cols]} (which oneDNN reads as the {@code cols x rows} matrix with strides {@code (1, cols)}), and
 * multiplied with runs of at most {@link NativeGemm#tokenChunk} activations into float32
 * results, copied back into the job's output rows. Primitives (JIT-compiled per
 * shape, precision and thread count) are cached. One product at a time: calls from several threads queue (they would
 * otherwise oversubscribe the cores with OpenMP teams of their own).
 */
final class OneDnnGemm extends NativeGemm {
  private static final int CACHED_PRIMITIVES = 64;
  private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
  private static final VectorSpecies<Integer> I = Kernels.F.withLanes(int.class);
  private static final VectorSpecies<Short> S = VectorSpecies.of(short.class,
      VectorShape.forBitSize(Kernels.F.vectorBitSize() / 2));
  private static final String VERSION_WARNING = "Warning: Versions of org.bytedeco:";

  private final dnnl_engine engine;
  private final dnnl_stream stream;
  private final MethodHandle setThreads;
  private final String description;
  /** Bytes of one {@code dnnl_exec_arg_t} (an int and a handle). */
  private final int argBytes;
  private final Map<Key, Prim> primitives = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Prim> eldest) {
      if (size() > CACHED_PRIMITIVES) {
        eldest.getValue().close();
        return true;
      }
      return false;
    }
  };
  private final Buffer src = new Buffer();
  private final Buffer dst = new Buffer();
  private final Buffer wei = new Buffer();
  private final Buffer scratch = new Buffer();
  private final ThreadLocal<float[]> rows = new ThreadLocal<>();

  private OneDnnGemm(dnnl_engine engine, dnnl_stream stream, MethodHandle setThreads, String description,
      int argBytes) {
    this.engine = engine;
    this.stream = stream;
    this.setThreads = setThreads;
    this.description = description;
    this.argBytes = argBytes;
  }

  /** Loads oneDNN and checks this machine can use it; throws with the reason otherwise. */
  public static NativeGemm open() throws Throwable {
    String platform = Loader.getPlatform();
    if (!"linux-x86_64".equals(platform)) {
      throw new IllegalStateException("no oneDNN natives for " + platform + " in this build");
    }
    boolean passive = System.getenv("OMP_WAIT_POLICY") == null;
    if (passive) { // read by libgomp when it loads: its threads then sleep as soon as a product ends
      MethodHandle setenv = Linker.nativeLinker().downcallHandle(
          Linker.nativeLinker().defaultLookup().find("setenv").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
      try (Arena a = Arena.ofConfined()) {
        int rc = (int) setenv.invokeExact(a.allocateFrom("OMP_WAIT_POLICY"), a.allocateFrom("PASSIVE"), 0);
        passive = rc == 0;
      }
    }
    loadQuietly();
    int isa = dnnl_get_effective_cpu_isa();
    if ((isa & dnnl_cpu_isa_avx512_core_bf16) != dnnl_cpu_isa_avx512_core_bf16) {
      throw new IllegalStateException("the CPU has no AVX-512 BF16 (oneDNN ISA " + isaName(isa) + ")");
    }
    MethodHandle setThreads = Linker.nativeLinker().downcallHandle(ompSymbol("omp_set_num_threads"),
        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
    int argBytes = Loader.sizeof(dnnl_exec_arg_t.class);
    if (argBytes < Integer.BYTES + ValueLayout.ADDRESS.byteSize()) {
      throw new IllegalStateException("the preset gives no size for dnnl_exec_arg_t (" + argBytes + ")");
    }
    dnnl_engine engine = new dnnl_engine();
    check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
    dnnl_stream stream = new dnnl_stream();
    check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
    dnnl_version_t v = dnnl_version();
    String d = "oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " (" + isaName(isa) + "): quantised weights "
        + "in bf16, F32/F16/BF16 in f32; OpenMP threads = runtime threads, " + (passive ? "passive wait"
        : "OMP_WAIT_POLICY from the environment");
    return new OneDnnGemm(engine, stream, setThreads, d, argBytes);
  }

  /**
   * Loads the preset with JavaCPP's version warnings (the dnnl preset is built for JavaCPP 1.5.12, the project runs
   * 1.5.14; checked to load and compute) kept off the terminal; any other output passes through.
   */
  private static void loadQuietly() {
    PrintStream err = System.err;
    System.setErr(new PrintStream(new DroppingLines(err), true, StandardCharsets.UTF_8));
    try {
      Loader.load(org.bytedeco.dnnl.global.dnnl.class);
    } finally {
      System.err.flush();
      System.setErr(err);
    }
  }

  /** The OpenMP runtime oneDNN was loaded with (the preset's own libgomp), by the path JavaCPP loaded it from. */
  private static MemorySegment ompSymbol(String name) {
    for (String path : Loader.getLoadedLibraries().values()) {
      if (path != null && Path.of(path).getFileName().toString().startsWith("libgomp")) {
        var found = SymbolLookup.libraryLookup(Path.of(path), Arena.global()).find(name);
        if (found.isPresent()) {
          return found.get();
        }
      }
    }
    return SymbolLookup.libraryLookup("libgomp.so.1", Arena.global()).find(name)
        .orElseThrow(() -> new IllegalStateException("no " + name + " in oneDNN's OpenMP runtime"));
  }

  private static String isaName(int isa) {
    if ((isa & dnnl_cpu_isa_avx512_core_amx) == dnnl_cpu_isa_avx512_core_amx) {
      return "AVX-512 with AMX";
    }
    if ((isa & dnnl_cpu_isa_avx512_core_bf16) == dnnl_cpu_isa_avx512_core_bf16) {
      return "AVX-512 BF16";
    }
    if ((isa & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core) {
      return "AVX-512";
    }
    return (isa & dnnl_cpu_isa_avx2) == dnnl_cpu_isa_avx2 ? "AVX2" : "isa " + isa;
  }

  @Override
  String describe() {
    return description;
  }

  /** The vision tower's attention ({@link OneDnnAttention}), created on first use; guarded by this object's lock. */
  private OneDnnAttention attention;

  @Override
  synchronized void attend(Parallel par, float[][] q, float[][] k, float[][] v, float[][] out, int n, int heads,
      int headDim, float scale) {
    if (attention == null) {
      attention = new OneDnnAttention(this);
    }
    attention.attend(par, q, k, v, out, n, heads, headDim, scale);
  }

  dnnl_engine engine() {
    return engine;
  }

  dnnl_stream stream() {
    return stream;
  }

  /** oneDNN's OpenMP team size for the calling thread's next primitives. */
  void setThreads(int threads) {
    try {
      setThreads.invokeExact(threads);
    } catch (Throwable t) {
      throw new NativeFailure("omp_set_num_threads failed: " + t, t);
    }
  }

  @Override
  synchronized long bufferBytes() {
    return src.seg.byteSize() + dst.seg.byteSize() + wei.seg.byteSize() + scratch.seg.byteSize();
  }

  @Override
  synchronized void multiply(Parallel par, float[][] xs, int n, int cols, boolean rounds, Precision precision,
      Matmul.Job[] jobs) {
    try {
      int threads = par.threads();
      try {
        setThreads.invokeExact(threads);
      } catch (Throwable t) {
        throw new NativeFailure("omp_set_num_threads failed: " + t, t);
      }
      boolean bf16 = precision == Precision.BF16;
      int size = bf16 ? Short.BYTES : Float.BYTES;
      src.ensure((long) n * cols * size);
      MemorySegment s = src.seg;
      par.forRange(n, 8, (from, to) -> {
        for (int t = from; t < to; t++) {
          if (bf16 && rounds) {
            roundToBf16(xs[t], s, (long) t * cols * size, cols);
          } else if (bf16) {
            toBf16(xs[t], s, (long) t * cols * size, cols);
          } else {
            MemorySegment.copy(xs[t], 0, s, F, (long) t * cols * size, cols);
          }
        }
      });
      long slice = sliceFloats;
      int chunk = tokenChunk;
      for (Matmul.Job job : jobs) {
        boolean blocked = bf16 && BlockedBf16.hasGroups(job.w(), cols);
        int sliceRows = (int) Math.max(1, Math.min(job.rows(), slice / cols));
        if (blocked && sliceRows < job.rows()) { // slices of whole blocks of the bf16 layout
          sliceRows = Math.max(BlockedBf16.N_BLOCK, sliceRows / BlockedBf16.N_BLOCK * BlockedBf16.N_BLOCK);
        }
        for (int r0 = 0; r0 < job.rows(); r0 += sliceRows) {
          int ns = Math.min(sliceRows, job.rows() - r0);
          dequantise(par, job.w(), r0, ns, cols, bf16, blocked);
          for (int t0 = 0; t0 < n; t0 += chunk) {
            int m = Math.min(chunk, n - t0);
            Prim p = primitive(new Key(m, cols, ns, precision, threads, blocked));
            dst.ensure((long) m * ns * Float.BYTES);
            scratch.ensure(p.scratchBytes);
            p.execute(src.address() + (long) t0 * cols * size, wei.address(), dst.address(), scratch.address());
            MemorySegment d = dst.seg;
            float[][] outs = job.outs();
            int first = t0;
            int row0 = r0;
            par.forRange(m, 16, (from, to) -> {
              for (int t = from; t < to; t++) {
                MemorySegment.copy(d, F, (long) t * ns * Float.BYTES, outs[first + t], row0, ns);
              }
            });
          }
        }
      }
    } finally { // a long prompt's buffers do not stay for the JVM's life
      long cap = keptBufferBytes;
      src.trim(cap);
      dst.trim(cap);
      wei.trim(cap);
      scratch.trim(cap);
    }
  }

  /** The calling thread's row buffer of at least {@code cols} floats. */
  private float[] row(int cols) {
    float[] row = rows.get();
    if (row == null || row.length < cols) {
      row = new float[cols];
      rows.set(row);
    }
    return row;
  }

  /** Rows {@code [r0, r0 + count)} of {@code w} as float32 or bfloat16 into {@link #wei}, by all threads. */
  private void dequantise(Parallel par, FloatTensor w, int r0, int count, int cols, boolean bf16, boolean blocked) {
    if (blocked) {
      wei.ensure(BlockedBf16.bytes(count, cols));
      BlockedBf16.write(par, w, r0, count, cols, wei.seg);
      return;
    }
    int size = bf16 ? Short.BYTES : Float.BYTES;
    wei.ensure((long) count * cols * size);
    MemorySegment out = wei.seg;
    par.forRange(count, 4, (from, to) -> {
      float[] row = row(cols);
      for (int r = from; r < to; r++) {
        w.copyTo((long) (r0 + r) * cols, row, 0, cols);
        if (bf16) {
          toBf16(row, out, (long) r * cols * size, cols);
        } else {
          MemorySegment.copy(row, 0, out, F, (long) r * cols * size, cols);
        }
      }
    });
  }

  /**
   * {@code dst[off + 2i] = bfloat16(src[i])} for {@code i < n}, as {@link NativeGemm#toBf16(float[], short[], int)}
   * (its scalar twin) rounds: to nearest, ties to even, NaN kept NaN.
   */
  static void toBf16(float[] src, MemorySegment dst, long off, int n) {
    int i = 0;
    int upper = I.loopBound(n);
    for (; i < upper; i += I.length()) {
      IntVector b = FloatVector.fromArray(Kernels.F, src, i).reinterpretAsInts();
      IntVector r = b.add(b.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7fff).lanewise(VectorOperators.LSHR, 16);
      r = r.blend(0x7fc0, b.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000));
      ((ShortVector) r.convertShape(VectorOperators.I2S, S, 0)).intoMemorySegment(dst, off + 2L * i,
          ByteOrder.nativeOrder());
    }
    for (; i < n; i++) {
      int bits = Float.floatToRawIntBits(src[i]);
      dst.set(ValueLayout.JAVA_SHORT, off + 2L * i, (bits & 0x7fffffff) > 0x7f800000 ? (short) 0x7fc0
          : (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16));
    }
  }

  /**
   * {@code dst[off + 2i] = bfloat16(round(x)[i])}: {@link Q8Activation#round} (per block of 32: scale {@code d} =
   * f16(amax / 127), quants {@code rint(x * 127 / amax)}, value {@code d * q}) and then
   * {@link #toBf16(float[], MemorySegment, long, int)} in one vector pass, the same bits as the two in turn;
   * {@code n} a multiple of 32.
   */
  static void roundToBf16(float[] x, MemorySegment dst, long off, int n) {
    int lanes = Kernels.F.length();
    for (int b = 0; b < n; b += Q8Activation.BLOCK) {
      FloatVector amax = FloatVector.zero(Kernels.F);
      for (int i = b; i < b + Q8Activation.BLOCK; i += lanes) {
        amax = amax.max(FloatVector.fromArray(Kernels.F, x, i).abs());
      }
      float a = amax.reduceLanes(VectorOperators.MAX); // NaN where a value is NaN, as Math.max in the scalar loop
      float id = a != 0f ? 127f / a : 0f;
      float d = Float.float16ToFloat(Float.floatToFloat16(a / 127f));
      for (int i = b; i < b + Q8Activation.BLOCK; i += lanes) {
        FloatVector v = FloatVector.fromArray(Kernels.F, x, i).mul(id);
        // rint: |v| + 1.5 * 2^23 - 1.5 * 2^23 rounds to an integer, ties to even, for |v| < 2^22; sign put back
        IntVector sign = v.reinterpretAsInts().and(0x80000000);
        FloatVector mag = v.abs();
        FloatVector r = mag.add(RINT).sub(RINT);
        r = r.blend(mag, mag.compare(VectorOperators.GE, 0x1p22f).or(mag.test(VectorOperators.IS_NAN)));
        FloatVector q = r.reinterpretAsInts().or(sign).reinterpretAsFloats().mul(d);
        IntVector bits = q.reinterpretAsInts();
        IntVector h = bits.add(bits.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7fff)
            .lanewise(VectorOperators.LSHR, 16);
        h = h.blend(0x7fc0, bits.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000));
        ((ShortVector) h.convertShape(VectorOperators.I2S, S, 0)).intoMemorySegment(dst, off + 2L * i,
            ByteOrder.nativeOrder());
      }
    }
  }

  private static final float RINT = 0x1.8p23f;

  /** {@link #roundToBf16} into a fresh array: for the test against {@code Q8Activation.round} and toBf16. */
  static short[] roundToBf16(float[] src) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment m = a.allocate(2L * src.length + 2, 2);
      roundToBf16(src, m, 2, src.length);
      return m.asSlice(2).toArray(ValueLayout.JAVA_SHORT);
    }
  }

  /** {@link #toBf16(float[], MemorySegment, long, int)} into a fresh array: for the test against the scalar twin. */
  static short[] toBf16(float[] src) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment m = a.allocate(2L * src.length + 2, 2);
      toBf16(src, m, 2, src.length);
      return m.asSlice(2).toArray(ValueLayout.JAVA_SHORT);
    }
  }

  private Prim primitive(Key key) {
    Prim p = primitives.get(key);
    if (p == null) {
      p = new Prim(key, engine);
      primitives.put(key, p);
    }
    return p;
  }

  static void check(int status, String what) {
    if (status != dnnl_success) {
      throw new NativeFailure("oneDNN " + what + " returned status " + status, null);
    }
  }

  /** A primitive's shape: {@code m} activations of {@code k} values times {@code n} weight rows. */
  record Key(int m, int k, int n, Precision precision, int threads, boolean blocked) {}

  /** A native address as JavaCPP's pointer type. */
  private static final class Address extends Pointer {
    Address(long address) {
      this.address = address;
    }
  }

  /**
   * A grown-on-demand native buffer (64-byte aligned), in an arena of its own so that growing or trimming frees the
   * old memory at once rather than when the collector finds it unreachable.
   */
  private static final class Buffer {
    MemorySegment seg = MemorySegment.NULL;
    private Arena arena;

    void ensure(long bytes) {
      if (seg.byteSize() < bytes) {
        release();
        arena = Arena.ofShared();
        seg = arena.allocate(Math.max(bytes, 64), 64);
      }
    }

    /** Frees the memory if it holds more than {@code cap} bytes. */
    void trim(long cap) {
      if (seg.byteSize() > cap) {
        release();
      }
    }

    private void release() {
      if (arena != null) {
        seg = MemorySegment.NULL;
        arena.close();
        arena = null;
      }
    }

    long address() {
      return seg.address();
    }
  }

  /** One compiled matmul with its memory objects (data handles set per execution). */
  private final class Prim {
    final dnnl_primitive_desc pd = new dnnl_primitive_desc();
    final dnnl_primitive prim = new dnnl_primitive();
    final dnnl_memory_desc srcMd = new dnnl_memory_desc();
    final dnnl_memory_desc weiMd = new dnnl_memory_desc();
    final dnnl_memory_desc dstMd = new dnnl_memory_desc();
    final dnnl_memory srcMem = new dnnl_memory();
    final dnnl_memory weiMem = new dnnl_memory();
    final dnnl_memory dstMem = new dnnl_memory();
    final dnnl_memory scratchMem = new dnnl_memory();
    /**
     * The four execution arguments, in memory of our own: JavaCPP's allocation ({@code new dnnl_exec_arg_t(4)}) checks
     * the process's resident size against its {@code maxPhysicalBytes} (by default 4 x -Xmx, and mapped weights count)
     * and throws OutOfMemoryError above it, which mapped weights with a small heap reach.
     */
    final MemorySegment argsMemory = Arena.ofAuto().allocate(4L * argBytes, 16);
    final dnnl_exec_arg_t args = new dnnl_exec_arg_t(new Address(argsMemory.address()));
    final long scratchBytes;

    Prim(Key key, dnnl_engine engine) {
      dnnl_primitive_attr attr = new dnnl_primitive_attr();
      check(dnnl_primitive_attr_create(attr), "attr");
      try {
        check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "scratchpad mode");
        int type = key.precision() == Precision.BF16 ? dnnl_bf16 : dnnl_f32;
        check(dnnl_memory_desc_create_with_tag(srcMd, 2, new long[] {key.m(), key.k()}, type, dnnl_ab), "src");
        if (key.blocked()) { // BlockedBf16's layout: no reorder inside oneDNN
          check(dnnl_memory_desc_create_with_tag(weiMd, 2, new long[] {key.k(), key.n()}, type, dnnl_BA16a16b2a),
              "weights");
        } else {
          check(dnnl_memory_desc_create_with_strides(weiMd, 2, new long[] {key.k(), key.n()}, type,
              new long[] {1, key.k()}), "weights");
        }
        check(dnnl_memory_desc_create_with_tag(dstMd, 2, new long[] {key.m(), key.n()}, dnnl_f32, dnnl_ab), "dst");
        check(dnnl_matmul_primitive_desc_create(pd, engine, srcMd, weiMd, null, dstMd, attr), "matmul " + key);
        check(dnnl_primitive_create(prim, pd), "primitive " + key);
      } finally {
        dnnl_primitive_attr_destroy(attr);
      }
      if (key.blocked() && dnnl_memory_desc_get_size(weiMd) != BlockedBf16.bytes(key.n(), key.k())) {
        throw new NativeFailure("oneDNN's blocked bf16 weights of " + key + " take "
            + dnnl_memory_desc_get_size(weiMd) + " bytes, not " + BlockedBf16.bytes(key.n(), key.k()), null);
      }
      dnnl_memory_desc scratchMd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
      scratchBytes = dnnl_memory_desc_get_size(scratchMd);
      check(dnnl_memory_create(srcMem, srcMd, engine, null), "memory");
      check(dnnl_memory_create(weiMem, weiMd, engine, null), "memory");
      check(dnnl_memory_create(dstMem, dstMd, engine, null), "memory");
      check(dnnl_memory_create(scratchMem, scratchMd, engine, null), "memory");
      args.position(0).arg(DNNL_ARG_SRC).memory(srcMem);
      args.position(1).arg(DNNL_ARG_WEIGHTS).memory(weiMem);
      args.position(2).arg(DNNL_ARG_DST).memory(dstMem);
      args.position(3).arg(DNNL_ARG_SCRATCHPAD).memory(scratchMem);
      args.position(0);
    }

    void execute(long srcAddress, long weiAddress, long dstAddress, long scratchAddress) {
      check(dnnl_memory_set_data_handle(srcMem, new Address(srcAddress)), "src handle");
      check(dnnl_memory_set_data_handle(weiMem, new Address(weiAddress)), "weights handle");
      check(dnnl_memory_set_data_handle(dstMem, new Address(dstAddress)), "dst handle");
      check(dnnl_memory_set_data_handle(scratchMem, new Address(scratchAddress)), "scratchpad handle");
      check(dnnl_primitive_execute(prim, stream, 4, args), "execute");
      check(dnnl_stream_wait(stream), "wait");
    }

    void close() {
      dnnl_memory_destroy(srcMem);
      dnnl_memory_destroy(weiMem);
      dnnl_memory_destroy(dstMem);
      dnnl_memory_destroy(scratchMem);
      dnnl_primitive_destroy(prim);
      dnnl_primitive_desc_destroy(pd);
      dnnl_memory_desc_destroy(srcMd);
      dnnl_memory_desc_destroy(weiMd);
      dnnl_memory_desc_destroy(dstMd);
    }
  }

  /** Passes lines through to {@code out} except JavaCPP's version-mismatch warnings. */
  private static final class DroppingLines extends OutputStream {
    private final PrintStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    DroppingLines(PrintStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        flushLine();
      }
    }

    @Override
    public synchronized void flush() {
      if (line.size() > 0) {
        flushLine();
      }
      out.flush();
    }

    private void flushLine() {
      String s = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (!s.startsWith(VERSION_WARNING)) {
        out.print(s);
      }
    }
  }
}
