# Sourced by the registry benchmarks (benches/registry.sh, benches/rebuild.sh):
# starts Debian's docker-registry on a free loopback port with its storage
# under "$work" (which the caller made), sets `addr` (HOST:PORT) and
# `reg_pid`, and returns once the port answers. The caller's EXIT trap stops
# it: `kill "$reg_pid"`.
start_registry() {
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  addr="127.0.0.1:$port"
  mkdir -p "$work/storage"
  cat > "$work/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: $addr
YML
  docker-registry serve "$work/config.yml" 2>"$work/registry.log" &
  reg_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0; sleep 0.1; done
  echo "the registry did not start on $addr (see $work/registry.log)" >&2
  return 1
}
