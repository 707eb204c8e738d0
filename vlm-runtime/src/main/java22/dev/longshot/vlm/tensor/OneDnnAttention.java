package dev.longshot.vlm.tensor;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * Bidirectional multi-head attention of one sequence on oneDNN, every head at once and every intermediate in native
 * memory: {@code S = (scale q) k^T} as one batched bf16 matmul over the heads (float32 results), the softmax over each
 * row by oneDNN's softmax primitive (float32 in, bfloat16 out), then {@code O = P v} as a second batched bf16 matmul,
 * one block of query rows of every head at a time ({@link #BLOCK_ROWS}).
 * The inputs are converted to bfloat16 (round to nearest even, after the scale for {@code q}) into per-head layouts
 * {@code [heads][n][headDim]} by all threads, and the output copied back per token. The three primitives and their
 * buffers are kept for the last shape. Runs under the {@link OneDnnGemm}'s lock, with its engine, stream and
 * thread count, so it never runs beside one of its products.
 */
final class OneDnnAttention {
  private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
  /**
   * Most query rows per block (measured at SmolVLM's 12 heads x 1024 tokens, loaded box: 256 took 0.3-0.6x the
   * primitives' time of 64, 128 or all 1024 rows at once; smaller blocks pay more calls, larger ones leave the cache).
   */
  static final int BLOCK_ROWS = 256;
  private final OneDnnGemm gemm;
  private final int argBytes = Loader.sizeof(dnnl_exec_arg_t.class);
  private Plan plan;

  OneDnnAttention(OneDnnGemm gemm) {
    this.gemm = gemm;
  }

  /**
   * {@code out[t][h hd + i] = sum_j softmax_j(scale q_t,h . k_j,h) v_j,h[i]} for every token {@code t < n} and head
   * {@code h}; {@code q}, {@code k}, {@code v}, {@code out} are {@code [n][heads * headDim]}.
   */
  void attend(Parallel par, float[][] q, float[][] k, float[][] v, float[][] out, int n, int heads, int headDim,
      float scale) {
    Plan p = plan;
    if (p == null || p.n != n || p.heads != heads || p.hd != headDim) {
      if (p != null) {
        p.close();
      }
      plan = null;
      p = new Plan(n, heads, headDim);
      plan = p;
    }
    Plan pl = p;
    long rowBytes = 2L * headDim;
    par.forRange(n, 16, (from, to) -> {
      float[] row = new float[headDim];
      for (int t = from; t < to; t++) {
        for (int h = 0; h < heads; h++) {
          int off = h * headDim;
          long at = ((long) h * n + t) * rowBytes;
          for (int i = 0; i < headDim; i++) {
            row[i] = q[t][off + i] * scale;
          }
          OneDnnGemm.toBf16(row, pl.q, at, headDim);
          System.arraycopy(k[t], off, row, 0, headDim);
          OneDnnGemm.toBf16(row, pl.k, at, headDim);
          System.arraycopy(v[t], off, row, 0, headDim);
          OneDnnGemm.toBf16(row, pl.v, at, headDim);
        }
      }
    });
    gemm.setThreads(par.threads());
    for (int r0 = 0; r0 < n; r0 += pl.rows) { // a block of query rows of every head: its scores stay in the cache
      pl.qk.bind(0, pl.q.address() + 2L * r0 * headDim);
      pl.pv.bind(2, pl.o.address() + 4L * r0 * headDim);
      pl.qk.execute();
      pl.softmax.execute();
      pl.pv.execute();
    }
    long outRow = 4L * headDim;
    par.forRange(n, 16, (from, to) -> {
      for (int t = from; t < to; t++) {
        for (int h = 0; h < heads; h++) {
          MemorySegment.copy(pl.o, F, ((long) h * n + t) * outRow, out[t], h * headDim, headDim);
        }
      }
    });
  }

  /** A native address as JavaCPP's pointer type. */
  private static final class Address extends Pointer {
    Address(long address) {
      this.address = address;
    }
  }

  /** The buffers and primitives of one shape. */
  private final class Plan {
    final int n;
    final int heads;
    final int hd;
    /** Query rows per block: a divisor of {@code n}, at most {@link #BLOCK_ROWS}. */
    final int rows;
    final Arena arena = Arena.ofShared();
    final MemorySegment q;
    final MemorySegment k;
    final MemorySegment v;
    final MemorySegment s;
    final MemorySegment p;
    final MemorySegment o;
    final MemorySegment scratch;
    final Step qk;
    final Step softmax;
    final Step pv;

    Plan(int n, int heads, int hd) {
      this.n = n;
      this.heads = heads;
      this.hd = hd;
      int m = Math.min(n, BLOCK_ROWS);
      while (n % m != 0) {
        m--;
      }
      rows = m;
      long qkv = 2L * heads * n * hd;
      long nn = (long) heads * rows * n;
      q = arena.allocate(qkv, 64);
      k = arena.allocate(qkv, 64);
      v = arena.allocate(qkv, 64);
      s = arena.allocate(4 * nn, 64);
      p = arena.allocate(2 * nn, 64);
      o = arena.allocate(4L * heads * n * hd, 64);
      // a block of rows of q and of the output: [heads][rows][hd] inside the [heads][n][hd] buffers
      long[] blockDims = {heads, rows, hd};
      long[] blockStrides = {(long) n * hd, hd, 1};
      long[] sDims = {heads, rows, n};
      dnnl_memory_desc qMd = desc(blockDims, dnnl_bf16, blockStrides);
      // k stored [heads][n][hd], read as the [heads][hd][n] weights
      dnnl_memory_desc kMd = desc(new long[] {heads, hd, n}, dnnl_bf16, new long[] {(long) n * hd, 1, hd});
      dnnl_memory_desc sMd = desc(sDims, dnnl_f32, null);
      dnnl_memory_desc pMd = desc(sDims, dnnl_bf16, null);
      dnnl_memory_desc vMd = desc(new long[] {heads, n, hd}, dnnl_bf16, null);
      dnnl_memory_desc oMd = desc(blockDims, dnnl_f32, blockStrides);
      dnnl_primitive_desc qkPd = new dnnl_primitive_desc();
      dnnl_primitive_desc smPd = new dnnl_primitive_desc();
      dnnl_primitive_desc pvPd = new dnnl_primitive_desc();
      dnnl_primitive_attr attr = new dnnl_primitive_attr();
      OneDnnGemm.check(dnnl_primitive_attr_create(attr), "attr");
      try {
        OneDnnGemm.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "scratchpad mode");
        OneDnnGemm.check(dnnl_matmul_primitive_desc_create(qkPd, gemm.engine(), qMd, kMd, null, sMd, attr),
            "attention q k matmul");
        OneDnnGemm.check(dnnl_softmax_forward_primitive_desc_create(smPd, gemm.engine(), dnnl_forward_inference,
            dnnl_softmax_accurate, sMd, pMd, 2, attr), "attention softmax");
        OneDnnGemm.check(dnnl_matmul_primitive_desc_create(pvPd, gemm.engine(), pMd, vMd, null, oMd, attr),
            "attention p v matmul");
      } finally {
        dnnl_primitive_attr_destroy(attr);
      }
      long scratchBytes = Math.max(scratchBytes(qkPd), Math.max(scratchBytes(smPd), scratchBytes(pvPd)));
      scratch = arena.allocate(Math.max(64, scratchBytes), 64);
      qk = new Step(qkPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
          new dnnl_memory_desc[] {qMd, kMd, sMd}, new MemorySegment[] {q, k, s});
      softmax = new Step(smPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_DST}, new dnnl_memory_desc[] {sMd, pMd},
          new MemorySegment[] {s, p});
      pv = new Step(pvPd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
          new dnnl_memory_desc[] {pMd, vMd, oMd}, new MemorySegment[] {p, v, o});
      for (dnnl_memory_desc md : new dnnl_memory_desc[] {qMd, kMd, sMd, pMd, vMd, oMd}) {
        dnnl_memory_desc_destroy(md);
      }
    }

    private static dnnl_memory_desc desc(long[] dims, int type, long[] strides) {
      dnnl_memory_desc md = new dnnl_memory_desc();
      if (strides == null) {
        OneDnnGemm.check(dnnl_memory_desc_create_with_tag(md, dims.length, dims, type, dnnl_abc), "memory desc");
      } else {
        OneDnnGemm.check(dnnl_memory_desc_create_with_strides(md, dims.length, dims, type, strides), "memory desc");
      }
      return md;
    }

    private static long scratchBytes(dnnl_primitive_desc pd) {
      return dnnl_memory_desc_get_size(dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0));
    }

    void close() {
      qk.close();
      softmax.close();
      pv.close();
      arena.close();
    }

    /** One primitive with its memory objects bound to this plan's buffers and the shared scratchpad. */
    final class Step {
      final dnnl_primitive_desc pd;
      final dnnl_primitive prim = new dnnl_primitive();
      final dnnl_memory[] mems;
      final MemorySegment argsMemory;
      final dnnl_exec_arg_t args;
      final int count;

      Step(dnnl_primitive_desc pd, int[] argIds, dnnl_memory_desc[] mds, MemorySegment[] bufs) {
        this.pd = pd;
        OneDnnGemm.check(dnnl_primitive_create(prim, pd), "attention primitive");
        count = argIds.length + 1;
        mems = new dnnl_memory[count];
        argsMemory = arena.allocate((long) count * argBytes, 16);
        args = new dnnl_exec_arg_t(new Address(argsMemory.address()));
        for (int i = 0; i < count; i++) {
          mems[i] = new dnnl_memory();
          boolean isScratch = i == argIds.length;
          dnnl_memory_desc md = isScratch ? dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0) : mds[i];
          OneDnnGemm.check(dnnl_memory_create(mems[i], md, gemm.engine(),
              new Address((isScratch ? scratch : bufs[i]).address())), "attention memory");
          args.position(i).arg(isScratch ? DNNL_ARG_SCRATCHPAD : argIds[i]).memory(mems[i]);
        }
        args.position(0);
      }

      /** Points argument {@code i} at {@code address}. */
      void bind(int i, long address) {
        OneDnnGemm.check(dnnl_memory_set_data_handle(mems[i], new Address(address)), "attention data handle");
      }

      void execute() {
        OneDnnGemm.check(dnnl_primitive_execute(prim, gemm.stream(), count, args), "attention execute");
        OneDnnGemm.check(dnnl_stream_wait(gemm.stream()), "attention wait");
      }

      void close() {
        for (dnnl_memory m : mems) {
          dnnl_memory_destroy(m);
        }
        dnnl_primitive_destroy(prim);
        dnnl_primitive_desc_destroy(pd);
      }
    }
  }
}
