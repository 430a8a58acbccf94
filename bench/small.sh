#!/usr/bin/env bash
# Small-image benchmark: where a short command's time goes, against skopeo on the same registry.
#
# One OCI layout with a single 1 KiB layer (umoci), one fresh docker-registry (plain HTTP, loopback), then RUNS times:
#   push:  the launcher (cli/target/immutable-deploy), plain `java -jar`, and `skopeo copy oci:… docker://…`, each
#          into a repository of its own (so every blob is uploaded);
#   copy:  an image with 2 attachments (signed provenance is not needed: unsigned provenance and an SBOM) copied
#          between two repositories: the launcher and skopeo (which copies the image only), then the engine
#          in-process on one client (bench/EngineRun.java: the median of RUNS copies after 10 warm-up copies, and
#          on its own the second copy of the process), and the requests our copy made (access log);
# and once: the classes a push loads (-Xlog:class+load), how many came from the class-data sharing archive.
# The pushes and --version are timed twice: wall time, and CPU time (with GNU time), which load disturbs less.
#
# Usage: bench/small.sh [RUNS]      (default 7; needs cli/target/immutable-deploy, docker-registry, skopeo, umoci, curl)
set -euo pipefail

RUNS=${1:-7}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CLI_DIR=${CLI_DIR:-$ROOT/cli/target}   # the launcher, jar and CDS archive (the archive works only where it was built)
JAR=$CLI_DIR/immutable-deploy.jar
CLI=$CLI_DIR/immutable-deploy
[ -x "$CLI" ] || { echo "missing $CLI: run  mvn -B -DskipPlugin package -DskipTests  first" >&2; exit 2; }
WORK_NAME=bench-small
# shellcheck source=bench/registry.sh
. "$ROOT/bench/registry.sh"
start_registry

small_layout
echo '{"bomFormat":"CycloneDX","specVersion":"1.6"}' > "$WORK/bom.json"

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null 2>&1; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}'; }
record() { echo "$1 $2" >> "$WORK/times"; }
# Records a command's wall time as NAME and, with GNU time, its CPU time (user + system) as NAME-cpu: on a machine
# that other work shares, the CPU time says more about the command than the wall time does.
measure() {
  local name=$1; shift
  if [ -x /usr/bin/time ]; then
    record "$name" "$(seconds /usr/bin/time -f '%U %S' -o "$WORK/cpu" "$@")"
    record "$name-cpu" "$(awk '{printf "%.3f", $1 + $2}' "$WORK/cpu")"
  else
    record "$name" "$(seconds "$@")"
  fi
}

"$CLI" push --archive "$WORK/layout" --image "$HOST/bench/source:1" --plain-http --sbom "$WORK/bom.json" > "$WORK/source.json"
SOURCE=$HOST/bench/source@$(sed -E 's/.*"digest":"(sha256:[0-9a-f]{64})".*/\1/' "$WORK/source.json")

for run in $(seq 1 "$RUNS"); do
  measure push-launcher "$CLI" push --archive "$WORK/layout" --image "$HOST/bench/l$run:1" --plain-http --no-provenance
  measure push-jar java -jar "$JAR" push --archive "$WORK/layout" --image "$HOST/bench/j$run:1" --plain-http --no-provenance
  measure push-skopeo skopeo copy --quiet --dest-tls-verify=false "oci:$WORK/layout:v1" "docker://$HOST/bench/s$run:1"
  measure version-launcher "$CLI" --version
  mark=$(wc -l < "$WORK/registry.log")
  record copy-launcher "$(seconds "$CLI" copy --image "$SOURCE" --to "$HOST/bench/c$run:1" --plain-http)"
  tail -n +"$((mark + 1))" "$WORK/registry.log" | grep -cE '"(GET|HEAD|POST|PUT|PATCH|DELETE) /v2/' > "$WORK/copy-requests" || true
  record copy-skopeo "$(seconds skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$SOURCE" "docker://$HOST/bench/k$run:1")"
done
read -r engine_median engine_second < <(java -cp "$JAR" "$ROOT/bench/EngineRun.java" copy "$HOST" "$SOURCE" "$RUNS")
record copy-engine "$engine_median"
record copy-engine-2nd "$engine_second"

IMMUTABLE_DEPLOY_JAVA_OPTS="-Xlog:class+load:file=$WORK/launcher.classes" "$CLI" push --archive "$WORK/layout" \
    --image "$HOST/bench/classes:1" --plain-http --no-provenance > /dev/null 2>&1
java -Xlog:class+load:file="$WORK/jar.classes" -jar "$JAR" push --archive "$WORK/layout" --image "$HOST/bench/classes:2" \
    --plain-http --no-provenance > /dev/null 2>&1

median() { awk -v n="$1" '$1 == n {print $2}' "$WORK/times" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "== results (median of $RUNS runs; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%F))"
for name in push-launcher push-jar push-skopeo version-launcher copy-launcher copy-skopeo copy-engine copy-engine-2nd; do
  printf '%-18s %7.3f s\n' "$name" "$(median $name)"
done
if [ -x /usr/bin/time ]; then
  for name in push-launcher push-jar push-skopeo version-launcher; do
    printf '%-18s %7.3f s CPU (user + system)\n' "$name" "$(median $name-cpu)"
  done
fi
echo "push  launcher/skopeo = $(ratio "$(median push-launcher)" "$(median push-skopeo)")   (whole process; target <= 0.5 s)"
echo "push  jar/skopeo      = $(ratio "$(median push-jar)" "$(median push-skopeo)")   (java -jar, no archive)"
echo "copy  launcher/skopeo = $(ratio "$(median copy-launcher)" "$(median copy-skopeo)")   (ours copies 2 attachments too)"
echo "copy  engine/skopeo   = $(ratio "$(median copy-engine)" "$(median copy-skopeo)")   (engine in-process vs skopeo's whole process; target <= 0.5)"
echo "copy  engine 2nd/skopeo = $(ratio "$(median copy-engine-2nd)" "$(median copy-skopeo)")   (the same for the second copy of the process, one run)"
echo "copy  requests (ours, last run): $(cat "$WORK/copy-requests")  (image: 2 blobs; 2 attachments of 2 blobs each;"\
  "issue 12's target blobs + attachments + 3 = 11; with the checks docs/cli.md lists, blobs + 2 x attachments + 14 = 24)"
for f in launcher jar; do
  echo "classes loaded by a push ($f): $(wc -l < "$WORK/$f.classes"), from the CDS archives: $(grep -c 'shared objects file' "$WORK/$f.classes")"
done
