#!/usr/bin/env bash
# Rollouts at controller scale (issue 13): reaction time to a failing canary with 1 and with 100 concurrent rollouts,
# and what 100 concurrent rollouts cost one JVM (threads, heap after GC, CPU, decision lag, API requests per rollout per
# minute). The engine runs in this JVM; the Kubernetes stand-in (fabric8 mock server + fake controller) and a real
# Prometheus run in processes of their own. Prints the figures next to their targets.
#
# Usage: [COMMON_POOL=2|default] bench/rollouts.sh [--rollouts=100] [--namespaces=10] [--single=20] [--window=60]
# Needs: the engine's test classes (mvn -B -DskipPlugin -pl engine -am test-compile), prometheus, prometheus-pushgateway, java 17.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TARGET=$ROOT/engine/target
[ -f "$TARGET/test-classpath.txt" ] && [ -d "$TARGET/test-classes" ] || {
  echo "missing $TARGET/test-classes: run  mvn -B -DskipPlugin -pl engine -am test-compile  first" >&2; exit 2; }
for tool in prometheus prometheus-pushgateway java; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done

# The common pool as docs/canary.md ("Capacity") advises for a controller with two CPUs or fewer; COMMON_POOL=default
# leaves the JVM's default (on two CPUs: a new thread for every HTTP answer, see EngineThreads).
COMMON_POOL=${COMMON_POOL:-2}
JVM_OPTIONS=()
[ "$COMMON_POOL" = default ] || JVM_OPTIONS+=("-Djava.util.concurrent.ForkJoinPool.common.parallelism=$COMMON_POOL")

exec java -Xmx1g "${JVM_OPTIONS[@]}" -cp "$TARGET/test-classes:$TARGET/classes:$(cat "$TARGET/test-classpath.txt")" \
  io.jenkins.plugins.immutabledeployment.bench.RolloutsBench "$@"
