#!/usr/bin/env bash
# Issue 16's speed table, ours vs llama.cpp (node-llama-cpp 3.21.1), in one run: for a quiet machine.
#   bench/quiet-run.sh            the full set (about 10-15 minutes idle on 2 cores; see vlm-runtime/README.md)
#   bench/quiet-run.sh --short    a 2-3 minute smoke run of the same steps with tiny sizes
# Prints everything and keeps a copy in vlm-runtime/target/quiet-run.log. Each step prints its own in-run baseline
# (the previous GEMM kernel and the FMA peak; the machine's copy bandwidth; the plain Matmul for the vision tower).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=full
[ "${1:-}" = --short ] && mode=short
log="$ROOT/vlm-runtime/target/quiet-run.log"
mkdir -p "$(dirname "$log")"
step() { echo; echo "== bench/run vlm-runtime $*  ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"; \
  "$ROOT/bench/run" vlm-runtime "dev.longshot.vlm.bench.$@"; }
{
  echo "quiet-run ($mode) $(date -u '+%F %T UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  if [ "$mode" = short ]; then
    step MatmulBenchmark 1 60 2
    step DecodeBenchmark 2 64 8 smollm q8_0 1
    step VisionBenchmark 2 1 1
  else
    # prefill GEMM kernel: GFLOP per CPU-second vs the previous kernel and the FMA peak (1 thread), then 2 threads
    step MatmulBenchmark 1 252 5
    step MatmulBenchmark 2 252 5
    # prefill and decode vs llama.cpp, 2 threads, 360-token prompt: every shape and type (1.5B F32 left out: 6 GB)
    step DecodeBenchmark 2 360 64 smollm,qwen05 q8_0,q4_0,f32 3
    step DecodeBenchmark 2 360 64 qwen15 q8_0,q4_0 3
    # the answer prompt's length: 2k tokens
    step DecodeBenchmark 2 2048 32 smollm,qwen05,qwen15 q8_0 2
    # vision tower images/s on the GEMM path (SmolVLM-256M and 500M shapes) and a 4-frame answer prompt
    step VisionBenchmark 2 1 4
  fi
  echo; echo "quiet-run done $(date -u '+%T UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$log"
