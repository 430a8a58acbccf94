# Sourced by the benchmarks: a work directory removed at exit, and a fresh docker-registry on a free loopback port.
# Usage: WORK_NAME=bench-x; . "$ROOT/bench/registry.sh"; start_registry; … "$HOST" …; stop_registry
# (small_layout, below, writes a one-layer image for the short-command benchmarks)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/$WORK_NAME.XXXXXX")
REGISTRY_PID=
cleanup() {
  [ -n "$REGISTRY_PID" ] && kill "$REGISTRY_PID" 2>/dev/null && wait "$REGISTRY_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local port
  for port in $(seq 25000 25999); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "no free port" >&2; exit 1
}

start_registry() {
  PORT=$(free_port)
  HOST=127.0.0.1:$PORT
  rm -rf "$WORK/storage"
  cat > "$WORK/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $WORK/storage
http:
  addr: $HOST
EOF
  docker-registry serve "$WORK/registry.yml" > "$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  local deadline=$((SECONDS + 15))
  until curl -sf "http://$HOST/v2/" >/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "registry not ready"; cat "$WORK/registry.log"; exit 1; }
    kill -0 "$REGISTRY_PID" || { echo "registry died"; cat "$WORK/registry.log"; exit 1; }
    sleep 0.05
  done
}

stop_registry() {
  kill "$REGISTRY_PID" && wait "$REGISTRY_PID" 2>/dev/null || true
  REGISTRY_PID=
}

# An OCI layout at $WORK/layout holding one image, tagged v1, of a single 1 KiB layer of random bytes (umoci).
small_layout() {
  umoci init --layout "$WORK/layout" >/dev/null
  umoci new --image "$WORK/layout:v1" >/dev/null
  head -c 1024 /dev/urandom > "$WORK/one.bin"
  umoci insert --image "$WORK/layout:v1" "$WORK/one.bin" /one.bin >/dev/null
}
