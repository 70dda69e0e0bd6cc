#!/usr/bin/env bash
# `make images`: builds the image of the operator and of every service that has a Dockerfile
# (services/<name>/Dockerfile), from the repository root (the npm workspace):
#   $IMAGE_REGISTRY/<name>:$IMAGE_TAG   (default ghcr.io/symbiont-dev/<name>:<chart appVersion>)
# These are the names the chart (operator) and the samples (modules, bus gateway) use.
# Prints the built image names, one a line, on stdout; progress goes to stderr.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

hack/require-docker.sh "make images"

registry=${IMAGE_REGISTRY:-ghcr.io/symbiont-dev}
tag=${IMAGE_TAG:-$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' charts/symbiont/Chart.yaml)}
[ -n "$tag" ] || { echo "make images: no appVersion in charts/symbiont/Chart.yaml; set IMAGE_TAG" >&2; exit 1; }

for dockerfile in operator/Dockerfile services/*/Dockerfile; do
  [ -f "$dockerfile" ] || continue
  name=$(basename "$(dirname "$dockerfile")")
  image="$registry/$name:$tag"
  echo "== $image ($dockerfile)" >&2
  docker build --file "$dockerfile" --tag "$image" . >&2
  echo "$image"
done
