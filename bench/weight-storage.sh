#!/usr/bin/env bash
# Heap-copied vs memory-mapped weights (vlm-runtime, issue 16 item 5): for random-weight GGUFs in the real shapes of
# Qwen2.5-0.5B and 1.5B, per storage: load time (wall and process CPU), peak RSS (/usr/bin/time -v) with the JVM's
# default maximum heap, the smallest -Xmx (to 16 MiB) with which the model loads, prefills 16 tokens and decodes 4
# (2 threads, a 20-entry KV cache), and the peak RSS at that -Xmx; then the mapped / heap kernel ratio per CPU-second (WeightStorageBenchmark
# kernels). Files are generated into a temporary directory and deleted.
# Usage: bench/weight-storage.sh [MODELS: qwen05,qwen15] [TYPE: q8_0|q4_0|f32|q4_k_m] [--no-kernels]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="${1:-qwen05,qwen15}" type="${2:-q8_0}" kernels="${3:-}"
# shellcheck source=../setup/lib.sh
. "$ROOT/setup/lib.sh"
find_jdk
cd "$ROOT"
mvn -B -ntp -q -pl vlm-runtime -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# a copy of the module's classes, so that a build in the tree during the run cannot change them under it
cp -r vlm-runtime/target/classes "$work/classes"
cp -r vlm-runtime/target/test-classes "$work/test-classes"
CP="$work/test-classes:$work/classes:$(cat vlm-runtime/target/bench-classpath.txt)"
B=dev.longshot.vlm.bench.WeightStorageBenchmark
jrun() { java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m "$@"; }
works() { jrun "-Xmx${1}m" -cp "$CP" "$B" load "$2" "$3" 16 4 >/dev/null 2>&1; }
echo "weight-storage: Java $(java -version 2>&1 | head -1), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
for model in ${models//,/ }; do
  f="$work/$model-$type.gguf"
  jrun -Xmx6g -cp "$CP" "$B" write "$model" "$type" "$f"
  for storage in heap mapped; do
    /usr/bin/time -v java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m -cp "$CP" \
      "$B" load "$f" "$storage" 16 4 2>"$work/time.txt" | grep '^load '
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    lo=16 hi=8192
    works "$hi" "$f" "$storage" || { echo "$model $storage: fails even at -Xmx${hi}m"; continue; }
    while [ $((hi - lo)) -gt 16 ]; do
      mid=$(((lo + hi) / 2))
      if works "$mid" "$f" "$storage"; then hi=$mid; else lo=$mid; fi
    done
    /usr/bin/time -v java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m "-Xmx${hi}m" \
      -cp "$CP" "$B" load "$f" "$storage" 16 4 2>"$work/time.txt" | grep '^load '
    rss2=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
    printf '%s %s %s: peak RSS %d MB with the default heap, smallest -Xmx %d MiB, peak RSS %d MB at that -Xmx\n' \
      "$model" "$type" "$storage" $((rss / 1000)) "$hi" $((rss2 / 1000))
  done
  rm -f "$f"
done
[ "$kernels" = "--no-kernels" ] || jrun -cp "$CP" "$B" kernels 64 5
