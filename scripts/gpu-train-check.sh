#!/usr/bin/env bash
# The one prepared GPU check of the trainer: DL4J training throughput on the CUDA backend for the
# paper's two L5PC surrogates (Beniaguev et al. 2021: l5pc-ampa-1x128 and l5pc-nmda-7x128), the
# first layer dense and factorised taking turns in one JVM. Prints nvidia-smi, one [bench] line per
# mode and one RESULT line per preset; the whole run stays under 8 minutes (each step has a timeout:
# 20 s + 110 s + 2 x 140 s, plus 10 s grace per kill, about 7.5 minutes at worst).
#
# Needs on the GPU machine: a Java 17+ runtime (java on PATH or $JAVA_HOME) and the classpath that
# scripts/gpu-prepare.sh built (nothing is downloaded or compiled here: the machine has no network).
#
# usage: scripts/gpu-train-check.sh [GPU_LIB_DIR]      (default trainer-service/target/gpu-lib)
#   env: SECONDS_PER_MODE (40) BATCH (8) WINDOW_MS (400); the log is also written to $OUT if set.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIB="${1:-$ROOT/trainer-service/target/gpu-lib}"
SECS="${SECONDS_PER_MODE:-40}"
BATCH="${BATCH:-8}"
WINDOW_MS="${WINDOW_MS:-400}"
LOG="${OUT:-/tmp}/gpu-train-check.log"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# If libnd4jcuda carries only PTX for pre-Hopper GPUs, the driver JIT-compiles it for sm_90 on the
# first start; a cache large enough to keep that result spares the later JVMs the wait.
export CUDA_CACHE_MAXSIZE=4294967296
exec > >(tee "$LOG") 2>&1

echo "== nvidia-smi"
timeout 20 nvidia-smi || echo "nvidia-smi failed (rc $?)"
echo "== java"
"$JAVA" -version 2>&1 | head -1 || { echo "no Java runtime on this machine (set JAVA_HOME)"; exit 1; }
if ! ls "$LIB"/nd4j-cuda-11.6-*linux-x86_64*.jar >/dev/null 2>&1 || [ ! -f "$LIB/trainer-service-classes.jar" ]; then
  echo "no CUDA trainer classpath in $LIB: run scripts/gpu-prepare.sh where Maven and network are, and carry that folder"
  exit 1
fi

# ND4J keeps its buffers off the Java heap; JavaCPP's limits default to the heap size. Each run's
# whole output goes to its own file; the console gets the benchmark lines, or the tail on failure.
RUNS="$(mktemp -d)"
bench() {
  local limit=$1 name=$2; shift 2
  local out="$RUNS/$name.txt"
  # A JVM stopped by the timeout in the middle of a native op may crash on its way out: its crash
  # report goes beside the run log, not into the working tree.
  timeout --kill-after=10 "$limit" "$JAVA" -Xmx16g -XX:+ExitOnOutOfMemoryError -XX:ErrorFile="$RUNS/hs_err_%p.log" \
      -Dorg.bytedeco.javacpp.maxbytes=48G -Dorg.bytedeco.javacpp.maxphysicalbytes=64G \
      -cp "$LIB/*" io.neurosurrogate.trainer.bench.TrainerBenchmark \
      --batch "$BATCH" --window-ms "$WINDOW_MS" "$@" >"$out" 2>&1
  local rc=$?
  grep -E '^\[bench\]|^RESULT' "$out"
  if [ "$rc" != 0 ]; then
    { [ "$rc" = 124 ] || [ "$rc" = 137 ]; } && echo "timed out after ${limit}s: $*"
    echo "-- exit $rc; last lines:"
    grep -v -E ' (DEBUG|TRACE) ' "$out" | tail -25
  fi
  return "$rc"
}

# A short run first: it shows whether ND4J came up on CUDA at all before the long ones spend time.
echo "== preflight: iaf-1x1, 5 s"
if ! bench 110 preflight --preset iaf-1x1 --seconds 5 --warmup 2; then
  echo "preflight failed: the CUDA backend did not train; skipping the L5PC presets"
  exit 1
fi

status=0
for preset in l5pc-ampa-1x128 l5pc-nmda-7x128; do
  echo "== $preset: dense vs factorised first layer, ${SECS} s each, batch $BATCH, window $WINDOW_MS ms"
  bench 140 "$preset" --preset "$preset" --first-layer all --seconds "$SECS" || status=1
done
echo "== RESULT lines"
cat "$RUNS"/l5pc-*.txt 2>/dev/null | grep '^RESULT'
if grep -q '^RESULT.*backend=cpu' "$RUNS"/*.txt; then
  echo "warning: a run trained on the CPU backend, not CUDA"
  status=1
fi
exit $status
