# Sourced by the bench and profile scripts: one run's temporary folder and the processes it starts
# in the background, both gone when the script ends, however it ends. Only what this run started
# is stopped.
#
#   make_workdir            sets $workdir (a new temporary folder) and the EXIT trap
#   pids+=($!)              after starting a process in the background
#   on_exit COMMAND         runs COMMAND too at the end, after the processes are stopped
#   wait_for_file FILE WHAT until a process has written FILE (the ports a server chose), 10 s at
#                           most; otherwise stops the script, saying WHAT did not start
#   wait_for_port PORT WHAT the same, until something accepts connections on 127.0.0.1:PORT
pids=()
exit_steps=()

make_workdir() {
    workdir="$(mktemp -d)"
    trap end_run EXIT
}

on_exit() { exit_steps+=("$1"); }

end_run() {
    local pid step
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for step in "${exit_steps[@]}"; do "$step"; done
    wait 2>/dev/null || true
    rm -rf "$workdir"
}

wait_for_file() {
    local _
    for _ in $(seq 1 200); do
        [ -s "$1" ] && return 0
        sleep 0.05
    done
    echo "$(basename "$0"): $2 did not start (nothing in $1 after 10 s)" >&2
    exit 1
}

wait_for_port() {
    local _
    for _ in $(seq 1 200); do
        # bash's /dev/tcp: a connection opened and closed at once, no client needed.
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "$(basename "$0"): $2 did not start (nothing accepts on 127.0.0.1:$1 after 10 s)" >&2
    exit 1
}
