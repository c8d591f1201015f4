#!/usr/bin/env bash
# Builds the services' container images: packages the four Quarkus applications with Maven (tests
# skipped), then runs `docker build` with each module's src/main/docker/Dockerfile.jvm, and with --gpu
# also the CUDA variants of the trainer (nd4j-cuda-11.6, `-Pcuda`) and of inference (onnxruntime_gpu,
# `-Ponnxruntime-gpu`) from Dockerfile.cuda. The CUDA builds are packaged into target/quarkus-app-cuda so
# that they do not replace the CPU builds in target/quarkus-app.
#
# Images: [PREFIX/]neurosurrogate/<module>:<tag>, and :<tag>-cuda for the GPU variants; the tag defaults
# to the project version. docker-compose.yml and k8s/ use the same names.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODULES=(simulator-service trainer-service inference-service gateway)
CUDA_MODULES=(trainer-service inference-service)

usage() {
  cat <<EOF
usage: scripts/build-images.sh [--gpu] [--registry PREFIX] [--tag T] [--push]

Packages the services with Maven (-DskipTests) and builds their images with docker:
  neurosurrogate/simulator-service, trainer-service, inference-service, gateway  (:T)
  neurosurrogate/trainer-service, inference-service                              (:T-cuda, with --gpu)

  --gpu              also build the CUDA variants (needs network for the CUDA jars; the images
                     run on hosts with an NVIDIA driver and the NVIDIA container toolkit)
  --registry PREFIX  prefix the image names, e.g. registry.example.com/team (a '/' is added)
  --tag T            image tag (default: the project version, $(project_version))
  --push             docker push every image built
  -h, --help         this text

Environment: MVN (default mvn), DOCKER (default docker).
EOF
}

project_version() {
  # The parent pom's own <version>, the first one in the file.
  sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1
}

die() {
  echo "build-images: $*" >&2
  exit 1
}

GPU=0
PUSH=0
PREFIX=""
TAG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --gpu) GPU=1; shift ;;
    --push) PUSH=1; shift ;;
    --registry) [ $# -ge 2 ] || die "--registry needs a value"; PREFIX="$2"; shift 2 ;;
    --registry=*) PREFIX="${1#*=}"; shift ;;
    --tag) [ $# -ge 2 ] || die "--tag needs a value"; TAG="$2"; shift 2 ;;
    --tag=*) TAG="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
MVN="${MVN:-mvn}"
DOCKER="${DOCKER:-docker}"
TAG="${TAG:-$(project_version)}"
[ -n "$TAG" ] || die "no tag given and no version found in $ROOT/pom.xml"
if [ -n "$PREFIX" ] && [ "${PREFIX%/}" = "$PREFIX" ]; then
  PREFIX="$PREFIX/"
fi

# Before spending minutes in Maven: is there a Docker engine to build with?
command -v "$DOCKER" >/dev/null 2>&1 || die "'$DOCKER' not found: install Docker (or set DOCKER to a compatible CLI such as podman)"
if ! engine_error="$("$DOCKER" info 2>&1 >/dev/null)"; then
  die "'$DOCKER' is installed but no Docker engine answers (is the daemon running? DOCKER_HOST=${DOCKER_HOST:-unset}):
$engine_error"
fi

cd "$ROOT"
echo "build-images: packaging ${MODULES[*]} (mvn package -DskipTests)" >&2
"$MVN" -B -DskipTests -pl "$(IFS=,; echo "${MODULES[*]}")" -am package
if [ "$GPU" = 1 ]; then
  echo "build-images: packaging the CUDA builds of ${CUDA_MODULES[*]} into target/quarkus-app-cuda" >&2
  "$MVN" -B -DskipTests -pl "$(IFS=,; echo "${CUDA_MODULES[*]}")" -am package -P 'cuda,!cpu,onnxruntime-gpu' \
      -Dquarkus.package.output-directory=quarkus-app-cuda
fi

BUILT=()
build() { # module dockerfile tag
  local image="${PREFIX}neurosurrogate/$1:$3"
  echo "build-images: $image" >&2
  "$DOCKER" build -f "$1/src/main/docker/$2" -t "$image" "$1"
  BUILT+=("$image")
}
for m in "${MODULES[@]}"; do
  build "$m" Dockerfile.jvm "$TAG"
done
if [ "$GPU" = 1 ]; then
  for m in "${CUDA_MODULES[@]}"; do
    build "$m" Dockerfile.cuda "$TAG-cuda"
  done
fi

if [ "$PUSH" = 1 ]; then
  for image in "${BUILT[@]}"; do
    "$DOCKER" push "$image"
  done
fi
printf 'build-images: built%s\n' "$(printf ' %s' "${BUILT[@]}")" >&2
