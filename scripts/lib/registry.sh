# start_registry WORKDIR: starts Debian's Distribution registry on 127.0.0.1 (open, filesystem
# storage under WORKDIR) and sets REGISTRY_URL and REGISTRY_PID. stop_registry stops it.
start_registry() {
    local dir="$1" port
    port="$("$LAB_BIN" free-port)"
    mkdir -p "$dir/storage"
    cat > "$dir/config.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: alga-release-local
YAML
    docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    REGISTRY_PID=$!
    REGISTRY_URL="http://127.0.0.1:$port"
    local i
    for i in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        kill -0 "$REGISTRY_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "docker-registry did not start:" >&2
    cat "$dir/registry.log" >&2
    return 1
}

stop_registry() {
    [ -n "${REGISTRY_PID:-}" ] || return 0
    kill "$REGISTRY_PID" 2>/dev/null || true
    wait "$REGISTRY_PID" 2>/dev/null || true
    REGISTRY_PID=
}
