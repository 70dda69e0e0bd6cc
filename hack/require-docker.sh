#!/usr/bin/env bash
# Fails fast, with a message a person can act on, when no Docker engine answers.
# Usage: hack/require-docker.sh "<what needs it>"
set -euo pipefail
what=${1:-this target}

if ! command -v docker >/dev/null 2>&1; then
  printf '%s needs a Docker engine, and the docker command is not installed here.\n' "$what" >&2
  printf 'It cannot run on this machine; on one with Docker it builds and runs everything itself.\n' >&2
  exit 1
fi
if ! output=$(timeout 30 docker info --format '{{.ServerVersion}}' 2>&1); then
  # shellcheck disable=SC2016 # the backticks are literal
  printf '%s needs a Docker engine, and none answers here: `docker info` failed:\n' "$what" >&2
  printf '  %s\n' "$(printf '%s' "$output" | grep -v '^\s*$' | tail -n 2)" >&2
  printf 'It cannot run on this machine (see README, "Install on a cluster"); start Docker or run it where Docker runs.\n' >&2
  exit 1
fi
