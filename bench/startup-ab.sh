#!/usr/bin/env bash
# Start-up A/B: a push of a 1 KiB image with two builds of the launcher, run alternately (so that both see the same
# machine: this VM's speed drifts by a third within minutes), each into a repository of its own on one fresh
# docker-registry (plain HTTP, loopback). Prints the median wall time of each (process start to exit) and B / A.
#
# Each launcher must be in the target directory it was built in (its CDS archive only works there), e.g.
#   git worktree add /tmp/before <commit> && (cd /tmp/before && mvn -B -DskipPlugin package -DskipTests)
#   bench/startup-ab.sh /tmp/before/cli/target/immutable-deploy cli/target/immutable-deploy 21
#
# Usage: bench/startup-ab.sh LAUNCHER_A LAUNCHER_B [RUNS]   (default 21; needs docker-registry, umoci, curl)
set -euo pipefail

A=${1:?launcher A}
B=${2:?launcher B}
RUNS=${3:-21}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for cli in "$A" "$B"; do
  [ -x "$cli" ] || { echo "not an executable launcher: $cli" >&2; exit 2; }
done
WORK_NAME=bench-startup-ab
# shellcheck source=bench/registry.sh
. "$ROOT/bench/registry.sh"
start_registry

small_layout

push_ms() {
  local start end
  start=$(date +%s%N)
  "$1" push --archive "$WORK/layout" --image "$HOST/ab/$2:1" --plain-http --no-provenance > "$WORK/out" 2>&1 \
    || { echo "push with $1 failed:" >&2; cat "$WORK/out" >&2; exit 1; }
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
for run in $(seq 1 "$RUNS"); do
  ms=$(push_ms "$A" "a$run") || exit 1
  echo "a $ms" >> "$WORK/times"
  ms=$(push_ms "$B" "b$run") || exit 1
  echo "b $ms" >> "$WORK/times"
done

median() { awk -v n="$1" '$1 == n {print $2}' "$WORK/times" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
a=$(median a)
b=$(median b)
echo "== 1 KiB push, median of $RUNS alternate runs each ($(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F))"
echo "A $a ms  $A"
echo "B $b ms  $B"
awk -v a="$a" -v b="$b" 'BEGIN {printf "B / A = %.2f\n", b / a}'
