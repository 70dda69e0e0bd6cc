#!/usr/bin/env bash
# `make tools`: builds the pinned real components (tools/versions.env) from the Go module
# proxy into a per-user cache outside the checkout, one folder per tool and version:
#   $SYMBIONT_CACHE/<tool>/<version>/bin/...      (default ${XDG_CACHE_HOME:-~/.cache}/symbiont)
# A folder is complete only when its .complete stamp exists: a build goes to a temporary
# folder that is renamed at the end, so a failed or killed build leaves nothing half-built.
# Go's own module and build caches stay in their default per-user places, so a fresh clone
# on the same machine (CI) finds everything warm.
#
# Usage: tools/build.sh [tool...]   (default: all; tools: kubernetes etcd kwok helm daprd ferretdb seaweedfs)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=versions.env
set -a
. "$root/tools/versions.env"
set +a

cache=${SYMBIONT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/symbiont}
per_tool_timeout=${SYMBIONT_TOOL_TIMEOUT:-7200}
started_all=$SECONDS

log() { printf '[tools %4ss] %s\n' "$((SECONDS - started_all))" "$*"; }
fail() { printf '[tools] FAILED: %s\n' "$*" >&2; exit 1; }

if ! command -v go >/dev/null 2>&1; then
  [ -x /usr/local/go/bin/go ] && export PATH="$PATH:/usr/local/go/bin"
fi
command -v go >/dev/null 2>&1 ||
  fail "no Go toolchain: install Go (https://go.dev/doc/install) or put it on PATH; /usr/local/go/bin was tried"

export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

# One build at a time per cache: a second `make tools` (another checkout, a parallel test
# run) waits for the first and then finds its tools built instead of racing it.
mkdir -p "$cache"
exec 9>"$cache/.build.lock"
if ! flock -n 9; then
  log "another build of the tools is running in $cache; waiting for it..."
  flock 9
fi

# What a tool's build depends on besides its version: its wrapper folder (go.mod, go.sum,
# *.go) and its build recipe below. Editing e.g. tools/dapr/components.go or build_daprd
# rebuilds that tool even though its version did not change.
inputs_hash() {
  local fn=$1 dir=${2:-}
  { declare -f "$fn"; [ -z "$dir" ] || (cd "$dir" && cat go.mod go.sum ./*.go 2>/dev/null); } |
    sha256sum | cut -c1-12
}

# While a tool builds, a line every SYMBIONT_TOOLS_HEARTBEAT seconds (default 60) says how long
# it has taken and which Go package is being compiled, so a cold Kubernetes build is not
# tens of silent minutes.
heartbeat() {
  local tool=$1 t0=$2 package
  while sleep "${SYMBIONT_TOOLS_HEARTBEAT:-60}"; do
    package=$(ps -C compile -o args= 2>/dev/null | sed -n 's/.* -p \([^ ]*\) .*/\1/p' | tail -1)
    if [ -n "$package" ]; then
      log "$tool: still building after $((SECONDS - t0))s (compiling $package)"
    elif ps -C link -o pid= >/dev/null 2>&1; then
      log "$tool: still building after $((SECONDS - t0))s (linking)"
    else
      log "$tool: still building after $((SECONDS - t0))s (downloading modules)"
    fi
  done
}

# build_tool <tool> <version> <module> <inputs-id> <build-function>
# Skips when <cache>/<tool>/<version> is complete with the same inputs; otherwise runs the
# build function with $out (a temporary bin folder) and renames it into place.
build_tool() {
  local tool=$1 version=$2 module=$3 inputs=$4 fn=$5
  local dest="$cache/$tool/$version"
  if [ -f "$dest/.complete" ] && [ "$(cat "$dest/.complete")" = "$inputs" ]; then
    log "$tool $version: already built ($dest)"
    return 0
  fi
  local tmp="$cache/$tool/.building-$version-$$"
  rm -rf "$tmp"
  mkdir -p "$tmp/bin"
  local t0=$SECONDS
  log "$tool $version: building from $module (a cold build takes minutes)..."
  heartbeat "$tool" "$t0" &
  local beating=$!
  trap 'kill "$beating" 2>/dev/null; rm -rf "$tmp"' EXIT
  export out="$tmp/bin"
  # A function cannot be run by `timeout` directly: it runs in a child bash that gets the
  # exported functions and variables. The timeout turns a stuck download into a failure.
  if ! timeout "$per_tool_timeout" bash -c "$fn" >"$tmp/build.log" 2>&1; then
    cat "$tmp/build.log" >&2
    fail "$tool: building $module $version did not succeed (log above; nothing was installed in $dest)"
  fi
  kill "$beating" 2>/dev/null || true
  wait "$beating" 2>/dev/null || true
  printf '%s' "$inputs" >"$tmp/.complete"
  rm -rf "$dest"
  mv "$tmp" "$dest"
  trap - EXIT
  log "$tool $version: built in $((SECONDS - t0))s -> $dest/bin"
}

build_kubernetes() {
  local v=$KUBERNETES_VERSION minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  local pkg=k8s.io/component-base/version
  (cd "$root/tools/kube" && go build \
    -ldflags "-s -w -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor \
      -X k8s.io/client-go/pkg/version.gitVersion=$v -X $pkg.gitTreeState=clean" \
    -o "$out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
}

build_etcd() {
  (cd "$root/tools/etcd" && go build -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3)
}

build_daprd() {
  (cd "$root/tools/dapr" && go build \
    -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${DAPR_VERSION#v}" \
    -o "$out/daprd" . &&
    # The harness installs Dapr's own CRDs (Component, Subscription, Resiliency, ...) from here.
    mkdir -p "$out/../crds" &&
    cp "$(go list -m -f '{{.Dir}}' github.com/dapr/dapr)"/charts/dapr/crds/*.yaml "$out/../crds/" &&
    chmod u+w "$out/../crds"/*.yaml)
}

build_kwok() { GOBIN=$out go install -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"; }
build_helm() { GOBIN=$out go install -ldflags "-s -w" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"; }
build_ferretdb() {
  # FerretDB embeds build/version/version.txt, which its release process generates and the
  # module does not ship (`go install` builds a binary that panics at start). So: build
  # from a copy of the module with that file written; its go.mod has no replaces.
  local src
  src=$(mktemp -d)
  cp -r "$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/.*"Dir": "\(.*\)",/\1/p')/." "$src/"
  chmod -R u+w "$src"
  printf '%s\n' "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  printf 'symbiont\n' >"$src/build/version/package.txt"
  (cd "$src" && go build -ldflags "-s -w" -o "$out/ferretdb" ./cmd/ferretdb)
  local status=$?
  rm -rf "$src"
  return $status
}

build_seaweedfs() {
  # The wrapper requires the pinned pseudo-version and repeats upstream's one replace.
  (cd "$root/tools/seaweedfs" && go build -ldflags "-s -w" -o "$out/weed" github.com/seaweedfs/seaweedfs/weed)
}

export root
export -f build_kubernetes build_etcd build_daprd build_kwok build_helm build_ferretdb build_seaweedfs

build_one() {
  case $1 in
    kubernetes) build_tool kubernetes "$KUBERNETES_VERSION" k8s.io/kubernetes "$(inputs_hash build_kubernetes "$root/tools/kube")" build_kubernetes ;;
    etcd) build_tool etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3 "$(inputs_hash build_etcd "$root/tools/etcd")" build_etcd ;;
    kwok) build_tool kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok "$(inputs_hash build_kwok)" build_kwok ;;
    helm) build_tool helm "$HELM_VERSION" helm.sh/helm/v3/cmd/helm "$(inputs_hash build_helm)" build_helm ;;
    daprd) build_tool daprd "$DAPR_VERSION" github.com/dapr/dapr "$(inputs_hash build_daprd "$root/tools/dapr")" build_daprd ;;
    ferretdb) build_tool ferretdb "$FERRETDB_VERSION" github.com/FerretDB/FerretDB/cmd/ferretdb "$(inputs_hash build_ferretdb)" build_ferretdb ;;
    seaweedfs) build_tool seaweedfs "$SEAWEEDFS_VERSION" github.com/seaweedfs/seaweedfs/weed "$(inputs_hash build_seaweedfs "$root/tools/seaweedfs")" build_seaweedfs ;;
    *) fail "unknown tool '$1' (known: kubernetes etcd kwok helm daprd ferretdb seaweedfs)" ;;
  esac
}

mkdir -p "$cache"
log "cache: $cache ($(go version))"
tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(kubernetes etcd kwok helm daprd ferretdb seaweedfs)
for t in "${tools[@]}"; do build_one "$t"; done

# One folder of links to the current versions, for PATH (make cluster prints it).
mkdir -p "$cache/bin"
for d in kubernetes/$KUBERNETES_VERSION etcd/$ETCD_VERSION kwok/$KWOK_VERSION helm/$HELM_VERSION \
  daprd/$DAPR_VERSION ferretdb/$FERRETDB_VERSION seaweedfs/$SEAWEEDFS_VERSION; do
  [ -f "$cache/$d/.complete" ] || continue
  for b in "$cache/$d"/bin/*; do ln -sfn "$b" "$cache/bin/$(basename "$b")"; done
done
log "all requested tools are ready; binaries linked in $cache/bin"
