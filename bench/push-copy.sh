#!/usr/bin/env bash
# Push and copy benchmark against peers, on a local docker-registry.
#
# Builds a single-layer OCI layout with umoci from random bytes, then, on a fresh registry each time:
#   push:   our CLI through its launcher (cli/target/immutable-deploy, heap capped at 64 MiB), `skopeo copy oci:…
#           docker://…`, a plain `curl -T` monolithic PUT of the layer blob (the registry's own ingest limit), and the
#           engine in-process (bench/EngineRun.java: the same push without JVM start-up, after a warm-up push of a
#           64 MiB image of its own: enough to compile the hashing and upload code, and not so much that the
#           registry is still busy writing it away when the timed push starts, as it was after a warm-up with the
#           timed image itself at 1 GiB);
#   copy:   between two repositories of one registry, our CLI and skopeo.
# Prints median wall and CPU times, the ratios against skopeo and curl, peak RSS, blob bytes moved and request counts.
#
# Usage: bench/push-copy.sh [SIZE_MIB] [RUNS]      (defaults: 1024 MiB, 3 runs; needs cli/target/immutable-deploy)
# Needs: docker-registry, skopeo, umoci, curl, awk, java and javac 17, GNU time (/usr/bin/time) or /proc.
set -euo pipefail

SIZE_MIB=${1:-1024}
RUNS=${2:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLI_DIR=${CLI_DIR:-$ROOT/cli/target}   # the launcher, jar and CDS archive (the archive works only where it was built)
JAR=$CLI_DIR/immutable-deploy.jar
CLI=$CLI_DIR/immutable-deploy
[ -x "$CLI" ] || { echo "missing $CLI: run  mvn -B -DskipPlugin package -DskipTests  first" >&2; exit 2; }
export IMMUTABLE_DEPLOY_JAVA_OPTS=-Xmx64m
for tool in docker-registry skopeo umoci curl java javac; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done

WORK_NAME=bench-push-copy
# shellcheck source=bench/registry.sh
. "$ROOT/bench/registry.sh"

# Prefixes each line of stdin with the time it arrived.
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }

# measure NAME COMMAND...: runs the command, appends "NAME seconds peak_rss_kib cpu_seconds" to $WORK/times (CPU:
# user + system, with GNU time only); its stderr lines are time-stamped into $WORK/NAME.err. It syncs first: at 1 GiB
# the disk was still writing away what the step before had written (the copy's source push, the layout), and the
# contender timed next was up to 1.5 times slower for it.
measure() {
  local name=$1; shift
  local start end rss cpu=0 pid stamper peak=0 now
  sync
  rm -f "$WORK/stderr.fifo" && mkfifo "$WORK/stderr.fifo"
  stamp < "$WORK/stderr.fifo" > "$WORK/$name.err" &
  stamper=$!
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M %U %S" -o "$WORK/rss" "$@" > "$WORK/$name.out" 2> "$WORK/stderr.fifo"
    end=$(date +%s.%N)
    rss=$(tail -1 "$WORK/rss" | cut -d' ' -f1)
    cpu=$(tail -1 "$WORK/rss" | awk '{printf "%.2f", $2 + $3}')
  else
    "$@" > "$WORK/$name.out" 2> "$WORK/stderr.fifo" &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
      now=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${now:-0}" -gt "$peak" ] && peak=$now
      sleep 0.05
    done
    wait "$pid"
    end=$(date +%s.%N)
    rss=$peak
  fi
  wait "$stamper"
  echo "$name $(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}') $rss $cpu" >> "$WORK/times"
}

# phase NAME FIRST LAST: seconds between the stderr lines starting FIRST and LAST of the last NAME run, as NAME-phase.
phase() {
  awk -v first="$2" -v last="$3" -v n="$1-phase" \
    'index($2, first) == 1 && !a {a = $1} index($2, last) == 1 {b = $1} END {printf "%s %.3f 0 0\n", n, b - a}' \
    "$WORK/$1.err" >> "$WORK/times"
}

access_log_mark() { wc -l < "$WORK/registry.log"; }
access_log_since() { tail -n +"$(( $1 + 1 ))" "$WORK/registry.log" | grep -E '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/' || true; }

echo "== building a ${SIZE_MIB} MiB single-layer image with umoci (not measured)"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom > "$WORK/data.bin"
umoci init --layout "$WORK/layout" >/dev/null
umoci new --image "$WORK/layout:v1" >/dev/null
umoci insert --image "$WORK/layout:v1" "$WORK/data.bin" /data.bin >/dev/null
rm "$WORK/data.bin"
head -c $((64 * 1024 * 1024)) /dev/urandom > "$WORK/warmup.bin"
umoci init --layout "$WORK/warmup" >/dev/null
umoci new --image "$WORK/warmup:v1" >/dev/null
umoci insert --image "$WORK/warmup:v1" "$WORK/warmup.bin" /warmup.bin >/dev/null
rm "$WORK/warmup.bin"
MANIFEST=$(sed -E 's/.*"digest":"(sha256:[0-9a-f]{64})".*/\1/' "$WORK/layout/index.json")
LAYER=$(sed -E 's/.*"layers":\[\{[^}]*"digest":"(sha256:[0-9a-f]{64})".*/\1/' "$WORK/layout/blobs/sha256/${MANIFEST#sha256:}")
LAYER_FILE=$WORK/layout/blobs/sha256/${LAYER#sha256:}
LAYER_BYTES=$(stat -c %s "$LAYER_FILE")
BLOBS=2 # config + layer
cat "$WORK/layout/blobs/sha256/"* "$WORK/warmup/blobs/sha256/"* > /dev/null # same warm page cache for every contender
javac -cp "$JAR" -d "$WORK/engine-run" "$ROOT/bench/EngineRun.java" # compiled here, not by the timed JVM
echo "   layer $LAYER: $LAYER_BYTES bytes"

for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS"
  start_registry
  measure push-ours "$CLI" push --archive "$WORK/layout" --image "$HOST/bench/ours:1" --plain-http --no-provenance
  phase push-ours Pushing Pushed
  stop_registry

  start_registry
  sync # as measure does
  java -Xmx64m -cp "$JAR:$WORK/engine-run" EngineRun push "$HOST" "$WORK/warmup" "$WORK/layout" > "$WORK/engine.out"
  echo "push-engine $(cut -d' ' -f1 "$WORK/engine.out") 0 0" >> "$WORK/times"
  stop_registry

  start_registry
  measure push-skopeo skopeo copy --quiet --dest-tls-verify=false "oci:$WORK/layout:v1" "docker://$HOST/bench/skopeo:1"
  stop_registry

  start_registry
  LOCATION=$(curl -sf -X POST -D - -o /dev/null "http://$HOST/v2/bench/curl/blobs/uploads/" | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  measure push-curl curl -sf -T "$LAYER_FILE" "$LOCATION&digest=$LAYER"
  stop_registry

  # Copies between two repositories of one registry: a pushed image, then ours and skopeo's copy of it.
  start_registry
  "$CLI" push --archive "$WORK/layout" --image "$HOST/bench/source:1" --plain-http --no-provenance > "$WORK/source.json" 2>/dev/null
  mark=$(access_log_mark)
  measure copy-ours "$CLI" copy --image "$HOST/bench/source@$MANIFEST" --to "$HOST/bench/ours-copy:1" --plain-http
  access_log_since "$mark" > "$WORK/copy-ours.requests"
  mark=$(access_log_mark)
  measure copy-skopeo skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false \
      "docker://$HOST/bench/source@$MANIFEST" "docker://$HOST/bench/skopeo-copy:1"
  access_log_since "$mark" > "$WORK/copy-skopeo.requests"
  stop_registry
done

median() { awk -v n="$1" '$1 == n {print $2}' "$WORK/times" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
median_cpu() { awk -v n="$1" '$1 == n {print $4}' "$WORK/times" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
max_rss_mib() { awk -v n="$1" '$1 == n && $3 > m {m = $3} END {printf "%.0f", m / 1024}' "$WORK/times"; }
uploads() { grep -cE '"(PATCH|PUT) /v2/[^ ]*/blobs/uploads/' "$1" || true; }
mounts() { grep -E '"POST /v2/[^ ]*mount=' "$1" | grep -c '" 201 ' || true; }
requests() { wc -l < "$1"; }

ours=$(median push-ours); skopeo=$(median push-skopeo); curl_t=$(median push-curl)
copy_ours=$(median copy-ours); copy_skopeo=$(median copy-skopeo)
bytes_copied=$(sed -E 's/.*"bytesCopied":([0-9]+).*/\1/' "$WORK/copy-ours.out")

echo
echo "== results (median of $RUNS runs; layer $LAYER_BYTES bytes; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-34s %9s %9s %13s\n' "operation" "wall s" "CPU s" "peak RSS MiB"
for name in push-ours push-ours-phase push-engine push-skopeo push-curl copy-ours copy-skopeo; do
  printf '%-34s %9.2f %9.2f %13s\n' "$name" "$(median $name)" "$(median_cpu $name)" "$(max_rss_mib $name)"
done
echo "(CPU: user + system of the process, GNU time; 0 where not measured)"
echo "(push-ours-phase: from the CLI's first progress line to its last; push-engine: the engine in-process after a warm-up push of a 64 MiB image)"
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "push  ours/skopeo = $(ratio "$ours" "$skopeo")   (target <= 1.00)"
echo "push  ours/curl   = $(ratio "$ours" "$curl_t")   (target <= 1.05; curl PUTs the layer blob only)"
echo "push  engine/curl = $(ratio "$(median push-engine)" "$curl_t")   (target <= 1.05: the engine in-process)"
echo "copy  ours/skopeo = $(ratio "$copy_ours" "$copy_skopeo")"
echo "copy  ours:   blob bytes moved $bytes_copied, blob uploads $(uploads "$WORK/copy-ours.requests"), mounts $(mounts "$WORK/copy-ours.requests"), requests $(requests "$WORK/copy-ours.requests") (target <= blobs + 3 = $((BLOBS + 3)))"
echo "copy  skopeo: blob uploads $(uploads "$WORK/copy-skopeo.requests"), mounts $(mounts "$WORK/copy-skopeo.requests"), requests $(requests "$WORK/copy-skopeo.requests")"
echo "ours: the launcher with -Xmx64m (heap limit 64 MiB); peak RSS includes the JVM itself"
