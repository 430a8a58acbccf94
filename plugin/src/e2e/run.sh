#!/usr/bin/env bash
# The end-to-end check: the plugin's .hpi in a live Jenkins, one Pipeline with all four steps against a real
# docker-registry and the engine's mock cluster, the approval and the canary driven from the build page in Chromium,
# and what the pages show checked against the build's model.json (release.e2e.mjs).
#
#   plugin/src/e2e/run.sh
#
# Needs what `mvn -B -DskipPlugin verify` builds (engine/target with its test classpath, ui/target, cli/target),
# ../shared/jenkins beside the project (bin/hpi, bin/boot), and on the PATH: java, node, npm, docker-registry, skopeo,
# umoci, openssl, curl, jq, python3, and Chromium (/usr/bin/chromium or $CHROMIUM_PATH).
# Writes only under plugin/target/e2e/ (Jenkins home and log, registry, cluster, screenshots/); stops everything it
# started when it ends (E2E_KEEP=1: not before Enter is pressed, to look around). Exit status 0 when every check
# passed; otherwise the failed check is named.
set -euo pipefail
set -m # background helpers in process groups of their own, so that stopping one stops its children

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
HERE=$ROOT/plugin/src/e2e
OUT=$ROOT/plugin/target/e2e
SHARED_JENKINS=${SHARED_JENKINS:-$ROOT/../shared/jenkins}
JENKINS_HOME_DIR=$OUT/jenkins-home
MOCK_CLUSTER=io.jenkins.plugins.immutabledeployment.testing.kube.MockClusterProcess
FAST_JVM="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" # short-lived JVMs on a busy machine start faster without C2
STARTED=$(date +%s)

say() { echo "[e2e $(( $(date +%s) - STARTED ))s] $*"; }
fail() { echo "E2E FAILED: $*" >&2; exit 1; }

# await WHAT SECONDS LOG COMMAND...: polls COMMAND until it succeeds, failing after SECONDS and naming LOG.
await() {
  local what=$1 seconds=$2 log=$3 deadline=$(( $(date +%s) + $2 ))
  shift 3
  until "$@" > /dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$what: not within ${seconds}s (see $log)"
    sleep 0.2 # poll interval; the deadline bounds the wait
  done
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop_all() {
  local status=$?
  set +e
  if [ "${E2E_KEEP:-0}" = 1 ] && [ -n "${JENKINS_URL:-}" ]; then
    echo "E2E_KEEP=1: Jenkins at $JENKINS_URL (users and passwords: $OUT/secrets/setup.json); Enter stops everything" >&2
    read -r _
  fi
  [ -f "$JENKINS_HOME_DIR/jenkins.pid" ] && "$SHARED_JENKINS/bin/boot" --stop "$JENKINS_HOME_DIR" >> "$OUT/stop.log" 2>&1
  for helper in ${HELPERS[@]+"${HELPERS[@]}"}; do
    kill -0 "$helper" 2> /dev/null && kill -- "-$helper" 2> /dev/null # the helper's process group
  done
  if [ -n "${CLUSTER_PID:-}" ]; then
    exec 3>&- # the mock cluster ends when its input does
    for _ in $(seq 100); do kill -0 "$CLUSTER_PID" 2> /dev/null || break; sleep 0.1; done
    kill "$CLUSTER_PID" 2> /dev/null
  fi
  [ -n "${REGISTRY_PID:-}" ] && kill "$REGISTRY_PID" 2> /dev/null
  wait 2> /dev/null
  if [ "$status" -ne 0 ]; then
    echo "logs: $OUT (jenkins-home/jenkins.log, check.log, registry/, cluster/, screenshots/)" >&2
  fi
  exit "$status"
}

# in_background LOG COMMAND...: runs COMMAND in a process group of its own (set -m) while the script goes on.
HELPERS=()
in_background() {
  local log=$1
  shift
  "$@" > "$log" 2>&1 &
  HELPERS+=($!)
  BACKGROUND=$!
}

# finish PID WHAT LOG: waits for a background command, failing with WHAT when it failed.
finish() {
  wait "$1" || fail "$2 failed (see $3)"
}

# ---------------------------------------------------------------- what it needs

for tool in java node npm docker-registry skopeo umoci openssl curl jq python3; do
  command -v "$tool" > /dev/null || fail "$tool is not on the PATH (Debian: see .ci/run)"
done
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || fail "no Chromium at $CHROMIUM (set CHROMIUM_PATH)"
[ -x "$SHARED_JENKINS/bin/boot" ] || fail "no $SHARED_JENKINS/bin/boot (set SHARED_JENKINS)"
for built in engine/target/test-classpath.txt engine/target/test-classes engine/target/classes cli/target/immutable-deploy.jar; do
  [ -e "$ROOT/$built" ] || fail "no $built: build the modules first with mvn -B -DskipPlugin verify"
done
if [ -f "$JENKINS_HOME_DIR/jenkins.pid" ] && kill -0 "$(cat "$JENKINS_HOME_DIR/jenkins.pid")" 2> /dev/null; then
  fail "the Jenkins of an earlier run still runs: $SHARED_JENKINS/bin/boot --stop $JENKINS_HOME_DIR"
fi

rm -rf "$OUT"
mkdir -p "$OUT"/{tmp,registry,cluster,images,screenshots,node} "$JENKINS_HOME_DIR/init.groovy.d"
(umask 077 && mkdir "$OUT/secrets")
export TMPDIR=$OUT/tmp
trap stop_all EXIT
trap 'exit 130' INT TERM

say "building the plugin (bin/hpi) and installing playwright-core (npm ci), in the background"
build_hpi() { cd "$ROOT" && SKIP_MODULES=1 "$SHARED_JENKINS/bin/hpi"; }
in_background "$OUT/hpi.log" build_hpi
HPI_PID=$BACKGROUND
# The check runs from there, beside its node_modules; it launches Chromium and polls with the ui tests' helpers.
cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/release.e2e.mjs" "$OUT/node/"
cp -R "$HERE/support" "$OUT/node/"
cp -R "$ROOT/ui/src/test/js/support" "$OUT/node/ui-support"
install_node_modules() { cd "$OUT/node" && npm ci --no-audit --no-fund; }
in_background "$OUT/npm.log" install_node_modules
NPM_PID=$BACKGROUND

# ---------------------------------------------------------------- registry, images, cluster

REGISTRY=127.0.0.1:$(free_port)
say "docker-registry on $REGISTRY"
cat > "$OUT/registry/config.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $OUT/registry/storage
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
docker-registry serve "$OUT/registry/config.yml" > "$OUT/registry/registry.log" 2>&1 &
REGISTRY_PID=$!
await "docker-registry on $REGISTRY" 20 "$OUT/registry/registry.log" curl -sf "http://$REGISTRY/v2/"

say "the mock cluster (the engine's MockClusterProcess)"
CLASSPATH_OF_ENGINE_TESTS=$ROOT/engine/target/test-classes:$ROOT/engine/target/classes:$(cat "$ROOT/engine/target/test-classpath.txt")
mkfifo "$OUT/cluster/input"
# shellcheck disable=SC2086 # FAST_JVM is a list of options
java $FAST_JVM -Djava.io.tmpdir="$OUT/tmp" -cp "$CLASSPATH_OF_ENGINE_TESTS" "$MOCK_CLUSTER" \
  < "$OUT/cluster/input" > "$OUT/cluster/ready" 2> "$OUT/cluster/cluster.log" &
CLUSTER_PID=$!
exec 3> "$OUT/cluster/input"
await "the mock cluster" 60 "$OUT/cluster/cluster.log" grep -q '^mock-cluster ' "$OUT/cluster/ready"
read -r _ KUBE_URL KUBECONFIG_FILE < "$OUT/cluster/ready"
cp "$KUBECONFIG_FILE" "$OUT/secrets/kubeconfig"

# layout DIR TEXT: an OCI layout whose image "latest" holds /hello.txt = TEXT (umoci makes DIR itself)
layout() {
  printf '%s\n' "$2" > "$OUT/images/hello.txt"
  umoci init --layout "$1" && umoci new --image "$1:latest" && umoci insert --image "$1:latest" "$OUT/images/hello.txt" /hello.txt
}
say "images: release 1 pushed with skopeo, release 2 (api and worker) left as OCI layouts for the Jenkins build"
layout "$OUT/images/release-1" "release 1" > "$OUT/images/umoci.log" 2>&1
layout "$OUT/images/release-2" "release 2" >> "$OUT/images/umoci.log" 2>&1
layout "$OUT/images/worker-2" "worker, release 2" >> "$OUT/images/umoci.log" 2>&1
skopeo copy -q --dest-tls-verify=false "oci:$OUT/images/release-1:latest" "docker://$REGISTRY/shop-prod/api:release-1"
PREVIOUS_IMAGE=$REGISTRY/shop-prod/api@$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REGISTRY/shop-prod/api:release-1")

# ---------------------------------------------------------------- Jenkins

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$OUT/secrets/signing-key.pem" 2> /dev/null
openssl pkey -in "$OUT/secrets/signing-key.pem" -pubout -out "$OUT/secrets/signing-key.pub.pem"
JENKINS_PORT=$(free_port)
JENKINS_URL=http://127.0.0.1:$JENKINS_PORT/
password() { openssl rand -hex 12; }
jq -n --arg jenkinsUrl "$JENKINS_URL" --arg jenkinsHome "$JENKINS_HOME_DIR" --arg registry "$REGISTRY" \
  --arg kubeUrl "$KUBE_URL" --arg kubeconfigFile "$OUT/secrets/kubeconfig" --arg previousImage "$PREVIOUS_IMAGE" \
  --arg imageLayout "$OUT/images/release-2" --arg workerLayout "$OUT/images/worker-2" --arg signingKeyFile "$OUT/secrets/signing-key.pem" \
  --arg signingPublicKeyFile "$OUT/secrets/signing-key.pub.pem" --arg adminTokenFile "$OUT/secrets/admin-token" \
  --arg admin "$(password)" --arg alice "$(password)" --arg bob "$(password)" \
  --arg jobsDir "$HERE/jobs" --arg uiDir "$ROOT/ui/src/main/resources/io/jenkins/plugins/immutabledeployment/ui" \
  --arg screenshotsDir "$OUT/screenshots" \
  '$ARGS.named | .passwords = {admin: .admin, alice: .alice, bob: .bob} | del(.admin, .alice, .bob)' \
  > "$OUT/secrets/setup.json"
cp "$OUT/secrets/setup.json" "$JENKINS_HOME_DIR/e2e-setup.json"
cp "$HERE"/init.groovy.d/*.groovy "$JENKINS_HOME_DIR/init.groovy.d/"

finish "$HPI_PID" "bin/hpi" "$OUT/hpi.log"
say "booting Jenkins at $JENKINS_URL with the plugin, in the background (bin/boot; log: jenkins-home/jenkins.log)"
boot_jenkins() {
  JAVA_OPTS="$FAST_JVM -Djava.io.tmpdir=$OUT/tmp -Dhudson.model.UpdateCenter.never=true -Dhudson.model.DownloadService.never=true" \
    "$SHARED_JENKINS/bin/boot" "$JENKINS_HOME_DIR" "$JENKINS_PORT" "$ROOT/plugin/target/immutable-deployment.hpi"
}
in_background "$OUT/boot.log" boot_jenkins
BOOT_PID=$BACKGROUND

say "stable Deployment shop/api, then release 1 rolled out to it with the CLI (the release before this one)"
curl -sf -X POST -H 'Content-Type: application/json' "$KUBE_URL/apis/apps/v1/namespaces/shop/deployments" -o /dev/null --data @- <<EOF
{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "shop"},
 "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "api"}},
          "template": {"metadata": {"labels": {"app": "api"}},
                       "spec": {"containers": [{"name": "app", "image": "$REGISTRY/shop-prod/api:release-0"}]}}}}
EOF
stable_ready() {
  curl -sf "$KUBE_URL/apis/apps/v1/namespaces/shop/deployments/api" | jq -e '.status.readyReplicas == 2'
}
await "the stable Deployment shop/api to be ready" 60 "$OUT/cluster/cluster.log" stable_ready
# shellcheck disable=SC2086 # FAST_JVM is a list of options
java $FAST_JVM -Djava.io.tmpdir="$OUT/tmp" -jar "$ROOT/cli/target/immutable-deploy.jar" rollout --image "$PREVIOUS_IMAGE" \
  --deployment api --namespace shop --kubeconfig "$OUT/secrets/kubeconfig" --plain-http --steps 100 \
  > "$OUT/cluster/release-1.json" 2> "$OUT/cluster/release-1.log" || fail "the CLI's rollout of release 1 failed (see $OUT/cluster/release-1.log)"

finish "$NPM_PID" "npm ci" "$OUT/npm.log"
finish "$BOOT_PID" "booting Jenkins" "$OUT/boot.log and $JENKINS_HOME_DIR/jenkins.log"
[ -s "$OUT/secrets/admin-token" ] || fail "the init scripts did not run to the end (see $JENKINS_HOME_DIR/jenkins.log)"

# ---------------------------------------------------------------- the check

say "running the release in Jenkins and checking it in Chromium (log: check.log)"
(cd "$OUT/node" && CHROMIUM_PATH=$CHROMIUM E2E_SETUP=$OUT/secrets/setup.json node release.e2e.mjs) 2>&1 | tee "$OUT/check.log" ||
  fail "see the failed check above"
say "passed; screenshots in $OUT/screenshots"
