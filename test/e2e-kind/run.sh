#!/usr/bin/env bash
# `make e2e-kind`: Symbiont end to end on a real cluster, for machines with Docker.
#   1. creates a kind cluster (KIND_CLUSTER, default symbiont-e2e) with its own kubeconfig;
#   2. installs Dapr with its Helm chart (the version of tools/versions.env);
#   3. builds the images (`make images`) and loads them into the cluster;
#   4. starts Redis, RabbitMQ and MongoDB (infra.yaml) with random passwords;
#   5. `helm install`s charts/symbiont, then applies samples/ with Secrets for that infra;
#   6. waits until the Ecosystem and every module whose image this repository builds are
#      Ready, and runs a smoke check: one operator leader, reconcile metrics, and an item
#      created in MDM reaching CRM over the internal bus through the Dapr sidecars.
# The cluster is deleted at the end unless KEEP_CLUSTER=1 (then the KUBECONFIG is printed).
# It cannot run where no Docker engine answers: it says so and stops before doing anything.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

hack/require-docker.sh "make e2e-kind"

# shellcheck source=tools/versions.env disable=SC2153
. tools/versions.env
cluster=${KIND_CLUSTER:-symbiont-e2e}
kind_version=${KIND_VERSION:-v0.30.0}
dapr_version=${DAPR_VERSION#v}
app_ns=${E2E_NAMESPACE:-acme}
release_ns=symbiont-system
cache=${SYMBIONT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/symbiont}
work=$(mktemp -d "${TMPDIR:-/tmp}/symbiont-e2e-kind.XXXXXX")
export KUBECONFIG="$work/kubeconfig"
started=$SECONDS

log() { printf '[e2e-kind %4ss] %s\n' "$((SECONDS - started))" "$*"; }
fail() { printf '[e2e-kind] FAILED: %s\n' "$*" >&2; exit 1; }

# helm and kubectl: the pinned builds of `make tools` (the Makefile builds them first).
helm="$cache/bin/helm"
kubectl="$cache/bin/kubectl"
for tool in "$helm" "$kubectl"; do
  [ -x "$tool" ] || fail "$tool is missing: run make tools"
done
# kind: the one on PATH when it is the pinned version, else built from the Go module proxy.
kind=$(command -v kind || true)
if [ -z "$kind" ] || [ "$("$kind" version | awk '{print $2}')" != "$kind_version" ]; then
  kind="$cache/kind/$kind_version/bin/kind"
  if [ ! -x "$kind" ]; then
    log "building kind $kind_version from the Go module proxy"
    GOBIN="$(dirname "$kind")" go install "sigs.k8s.io/kind@$kind_version"
  fi
fi

pids=()
created=0
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ "$status" -ne 0 ] && [ -f "$KUBECONFIG" ]; then
    log "diagnostics after the failure:"
    "$kubectl" get eco,emod,partner,busroute -n "$app_ns" || true
    "$kubectl" describe eco -n "$app_ns" || true
    "$kubectl" get pods -A || true
    "$kubectl" logs -n "$release_ns" -l app.kubernetes.io/component=operator --tail=100 --prefix || true
  fi
  if [ "${KEEP_CLUSTER:-0}" = 1 ]; then
    log "cluster $cluster kept: export KUBECONFIG=$KUBECONFIG"
  else
    if [ "$created" = 1 ]; then "$kind" delete cluster --name "$cluster" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT

existing=$("$kind" get clusters 2>/dev/null || true)
if grep -qx "$cluster" <<<"$existing"; then
  fail "a kind cluster named $cluster exists already: delete it (kind delete cluster --name $cluster) or set KIND_CLUSTER"
fi
log "creating kind cluster $cluster (kind $kind_version)"
created=1
"$kind" create cluster --name "$cluster" --kubeconfig "$KUBECONFIG" --wait 180s

log "installing Dapr $dapr_version with its Helm chart"
"$helm" install dapr dapr --repo https://dapr.github.io/helm-charts --version "$dapr_version" \
  --namespace dapr-system --create-namespace --wait --timeout 10m

log "building the images (make images) and loading them into the cluster"
built_images=$(hack/images.sh)
mapfile -t images <<<"$built_images"
for image in "${images[@]}"; do "$kind" load docker-image "$image" --name "$cluster"; done

log "starting Redis, RabbitMQ and MongoDB"
password() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }
redis_password=$(password)
rabbitmq_password=$(password)
mongodb_password=$(password)
"$kubectl" create namespace symbiont-infra --dry-run=client -o yaml | "$kubectl" apply -f -
"$kubectl" create secret generic e2e-infra -n symbiont-infra \
  --from-literal=redisPassword="$redis_password" \
  --from-literal=rabbitmqPassword="$rabbitmq_password" \
  --from-literal=mongodbPassword="$mongodb_password" \
  --dry-run=client -o yaml | "$kubectl" apply -f -
"$kubectl" apply -f test/e2e-kind/infra.yaml
"$kubectl" rollout status -n symbiont-infra deploy/redis-master deploy/rabbitmq deploy/mongodb --timeout 5m

log "installing Symbiont (charts/symbiont)"
"$helm" install symbiont charts/symbiont --namespace "$release_ns" --create-namespace --wait --timeout 5m

log "applying samples/ to namespace $app_ns, with Secrets for the infra above"
"$kubectl" create namespace "$app_ns"
mongo() { printf 'mongodb://symbiont:%s@mongodb.symbiont-infra.svc:27017/%s?authSource=admin' "$mongodb_password" "$1"; }
"$kubectl" create secret generic internal-bus -n "$app_ns" \
  --from-literal=redisHost=redis-master.symbiont-infra.svc:6379 \
  --from-literal=redisPassword="$redis_password"
"$kubectl" create secret generic corporate-bus -n "$app_ns" \
  --from-literal=connectionString="amqp://symbiont:$rabbitmq_password@rabbitmq.symbiont-infra.svc:5672"
database_args=()
for db in mdm crm files processes analytics marketplace ledger; do
  database_args+=("--from-literal=$db=$(mongo "$db")")
done
"$kubectl" create secret generic acme-databases -n "$app_ns" "${database_args[@]}"
"$kubectl" create secret generic acme-signing -n "$app_ns" --from-literal=hmac-key="$(password)$(password)"
"$kubectl" create secret generic acme-marketplace -n "$app_ns" --from-literal=admin-token="$(password)$(password)"
for file in samples/*.yaml; do
  [ "$(basename "$file")" = 01-secrets.yaml ] && continue
  "$kubectl" apply -n "$app_ns" -f "$file"
done

# Modules whose image `make images` built are waited for; the others have no image yet.
built=" $(for image in "${images[@]}"; do printf '%s ' "${image%:*}"; done)"
wait_for=(ecosystem.symbiont.dev/acme)
while read -r name image; do
  if [[ "$built" == *" ${image%:*} "* ]]; then
    wait_for+=("ecosystemmodule.symbiont.dev/$name")
  else
    log "not waiting for module $name: its image $image is not built by this repository"
  fi
done < <("$kubectl" get emod -n "$app_ns" -o jsonpath='{range .items[*]}{.metadata.name} {.spec.image}{"\n"}{end}')
log "waiting for ${wait_for[*]} to be Ready"
"$kubectl" wait -n "$app_ns" --for=condition=Ready --timeout=10m "${wait_for[@]}"
"$kubectl" get eco,emod,partner,busroute -n "$app_ns"

log "smoke check: exactly one operator leads"
holder=$("$kubectl" get lease symbiont-operator -n "$release_ns" -o jsonpath='{.spec.holderIdentity}')
"$kubectl" get pod "$holder" -n "$release_ns" >/dev/null || fail "the lease holder '$holder' is not an operator pod"

port_forward() { # port_forward <namespace> <svc/name or pod/name> <local port> <remote port>
  local log_file="$work/port-forward-${2//\//-}.log"
  "$kubectl" port-forward -n "$1" "$2" "$3:$4" >"$log_file" 2>&1 &
  pids+=("$!")
  for _ in $(seq 1 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$3/healthz" 2>/dev/null && return 0
    sleep 0.2
  done
  fail "port-forward to $1/$2 did not answer; see $log_file"
}

log "smoke check: the leader reports successful reconciles"
port_forward "$release_ns" "pod/$holder" 18080 8080
curl -fsS http://127.0.0.1:18080/metrics >"$work/operator-metrics.txt"
grep -q '^symbiont_reconcile_total{kind="Ecosystem",result="success"}' "$work/operator-metrics.txt" ||
  fail "the leader's /metrics shows no successful Ecosystem reconcile"

if [[ " ${wait_for[*]} " == *" ecosystemmodule.symbiont.dev/mdm "* && " ${wait_for[*]} " == *" ecosystemmodule.symbiont.dev/crm "* ]]; then
  log "smoke check: an item created in MDM reaches CRM over the internal bus"
  port_forward "$app_ns" svc/mdm 18081 80
  port_forward "$app_ns" svc/crm 18082 80
  curl -fsS -X POST http://127.0.0.1:18081/items -H 'content-type: application/json' \
    -d '{"sku":"E2E-SOFA","name":"Corner sofa","category":"furniture","status":"active","price":{"amount":899,"currency":"EUR"}}' >/dev/null
  received() { curl -fsS http://127.0.0.1:18082/metrics | grep '^symbiont_events_received_total{topic="mdm.item.changed"' || true; }
  for _ in $(seq 1 60); do
    [ -n "$(received)" ] && break
    sleep 2
  done
  [ -n "$(received)" ] || fail "CRM received no mdm.item.changed event within 2 minutes"
  received
fi

log "passed"
