#!/usr/bin/env bash
# Prepares, on a machine with Maven and network, what scripts/gpu-train-check.sh needs on a GPU
# machine that has neither: trainer-service/target/gpu-lib/, every runtime jar of the trainer
# resolved against the CUDA backend (nd4j-cuda-11.6, `mvn -Pcuda`) instead of nd4j-native, plus the
# trainer's own classes as one jar. Carry that folder to the GPU machine with the working tree.
#
# Size: not measured here (the CUDA natives were deliberately not downloaded). Known: the
# nd4j-cuda-11.6 Java jar is 0.4 MB; its linux-x86_64 natives (libnd4jcuda) and, unless the GPU
# machine has CUDA 11.6 user-space libraries installed, the CUDA runtime (org.bytedeco:cuda
# 11.6-8.3-1.5.7 linux-x86_64-redist, WITH_CUDA_REDIST=1) come on top; both are expected to be far
# larger than the CPU natives (nd4j-native linux-x86_64 is 89 MB). The CPU build's whole runtime
# classpath is 244 MB, of which the benchmark needs neither ONNX Runtime (53 MB) nor Kafka/Quarkus;
# those are left out below (FULL=1 keeps everything). The script prints the final size: compare it
# with what the device runner can carry (64 MiB per run at the time of writing) before booking one.
#
# Hopper (H200, sm_90): CUDA 11.6 predates sm_90, so libnd4jcuda can only run there if it embeds PTX
# that the driver JIT-compiles (slow on the first start; gpu-train-check.sh enlarges the JIT cache).
#
# usage: scripts/gpu-prepare.sh            (run from anywhere; needs target/classes built: mvn -B -DskipTests install)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/trainer-service/target/gpu-lib"
CLASSES="$ROOT/trainer-service/target/classes"
[ -d "$CLASSES/io/neurosurrogate/trainer/bench" ] || { echo "gpu-prepare: $CLASSES lacks the benchmark; build first: mvn -B -DskipTests install" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT"
EXCLUDES="com.microsoft.onnxruntime,org.apache.kafka,com.github.luben,org.xerial.snappy,at.yawk.lz4,org.lz4,io.quarkus,io.vertx,io.netty,io.grpc,io.smallrye.reactive,org.knowm.xchart,de.erichseifert.vectorgraphics2d,de.rototor.pdfbox,com.madgag"
ARGS=(-B -q -Pcuda,!cpu -f "$ROOT/trainer-service/pom.xml" dependency:copy-dependencies
      -DincludeScope=runtime -DoutputDirectory="$OUT")
[ "${FULL:-0}" = 1 ] || ARGS+=(-DexcludeGroupIds="$EXCLUDES")
mvn "${ARGS[@]}"
if [ "${WITH_CUDA_REDIST:-0}" = 1 ]; then
  # The CUDA 11.6 + cuDNN 8.3 libraries as JavaCPP packs them, for a GPU machine with only a driver.
  mvn -B -q -f "$ROOT/trainer-service/pom.xml" dependency:copy \
      -Dartifact=org.bytedeco:cuda:11.6-8.3-1.5.7:jar:linux-x86_64-redist -DoutputDirectory="$OUT"
fi
(cd "$CLASSES" && jar cf "$OUT/trainer-service-classes.jar" .)

if ls "$OUT" | grep -q '^nd4j-native-1'; then
  echo "gpu-prepare: nd4j-native is on the classpath: the cuda profile did not replace the CPU backend" >&2
  exit 1
fi
ls "$OUT" | grep -q '^nd4j-cuda-11.6-.*linux-x86_64' || { echo "gpu-prepare: no nd4j-cuda natives in $OUT" >&2; exit 1; }
echo "gpu-prepare: $(ls "$OUT" | wc -l) jars, $(du -sh "$OUT" | cut -f1) in $OUT"
ls -S -s --block-size=M "$OUT" | head -8
