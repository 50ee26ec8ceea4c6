#!/usr/bin/env bash
# JobQueue beside beanstalkd, the peer the SQLite store's throughput is measured against: N no-op
# jobs drained to empty, interleaved runs, medians.
#
#   scripts/bench-beanstalkd.sh [--runs R] [--jobs N] [--workers W] BUILD_FOLDER
#
# beanstalkd (Debian's package; installed with apt-get when missing) runs with its binlog (`-b`,
# fsync at most every 50 ms, its default) on 127.0.0.1; W Python workers (default 2, greenstalk
# from PyPI in a virtual environment under the benchmark's own folder) reserve and delete jobs
# until none is left. JobQueue: BUILD_FOLDER's `jobqueue run --drain` with the NoopWorker plugin,
# sync full (every commit fsynced), at the defaults (batch 100 × concurrency 4), at batch 10 × 4 (the
# defaults before 2026-12) and at batch 100 × 2.
# Enqueueing is not timed on either side; each time runs from the workers' (the host's) start to
# their exit.
set -euo pipefail

runs=3 jobs=20000 workers=2 build=
while (($#)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    -*) echo "usage: $0 [--runs R] [--jobs N] [--workers W] BUILD_FOLDER" >&2; exit 64 ;;
    *) build=$(cd "$1" && pwd); shift ;;
    esac
done
[[ -n $build ]] || { echo "usage: $0 [--runs R] [--jobs N] [--workers W] BUILD_FOLDER" >&2; exit 64; }

if ! command -v beanstalkd >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q beanstalkd >/dev/null
fi
work=$(mktemp -d /tmp/jq-bench-beanstalkd.XXXXXX) # mode 700, as the host's file checks want
server=
cleanUp() {
    if [[ -n $server ]]; then kill -KILL "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanUp EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check greenstalk==2.1.1

cat >"$work/peer.py" <<'EOF'
"""put PORT N | work PORT: N jobs into beanstalkd, or reserve and delete until none is left."""
import sys
import greenstalk

command, port = sys.argv[1], int(sys.argv[2])
with greenstalk.Client(("127.0.0.1", port)) as client:
    if command == "put":
        for _ in range(int(sys.argv[3])):
            client.put("{}")
    else:
        while True:
            try:
                client.delete(client.reserve(timeout=0))
            except greenstalk.TimedOutError:
                break
EOF
awk -v n="$jobs" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"tenant-0\", \"topic\": \"noop\", \"payload\": {}}\n" }' >"$work/noop.jsonl"

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# beanstalkd: a fresh server and binlog per run; prints the seconds the workers took.
run_beanstalkd() {
    local port=$((20000 + RANDOM % 20000))
    rm -rf "$work/binlog" && mkdir "$work/binlog"
    beanstalkd -l 127.0.0.1 -p "$port" -b "$work/binlog" &
    server=$!
    for _ in $(seq 100); do "$work/venv/bin/python" -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break; sleep 0.05; done
    "$work/venv/bin/python" "$work/peer.py" put "$port" "$jobs"
    local start end pids=()
    start=$(date +%s.%N)
    for ((w = 0; w < workers; w++)); do
        "$work/venv/bin/python" "$work/peer.py" work "$port" &
        pids+=($!)
    done
    wait "${pids[@]}"
    end=$(date +%s.%N)
    # SIGKILL: a caller may have left SIGTERM blocked, which beanstalkd would inherit.
    kill -KILL "$server" && wait "$server" 2>/dev/null || true
    server=
    seconds "$start" "$end"
}

# JobQueue at BATCH × CONCURRENCY; prints the seconds `run --drain` took.
run_jobqueue() {
    rm -f "$work"/queue.db*
    cat >"$work/config.yaml" <<EOF
store: { path: $work/queue.db, sync: full }
consumer: { concurrency: $2, batch_size: $1 }
log: { level: warning }
topics:
  noop: { plugin: $build/libNoopWorker.so }
EOF
    chmod 600 "$work/config.yaml"
    "$build/jobqueue" enqueue --config "$work/config.yaml" --file "$work/noop.jsonl" >/dev/null
    local start end
    start=$(date +%s.%N)
    "$build/jobqueue" run --drain --config "$work/config.yaml" 2>>"$work/host.log"
    end=$(date +%s.%N)
    seconds "$start" "$end"
}

declare -A times
for ((r = 1; r <= runs; r++)); do
    times[beanstalkd]+="$(run_beanstalkd) "
    times[defaults]+="$(run_jobqueue 100 4) "
    times[batch10]+="$(run_jobqueue 10 4) "
    times[batch100]+="$(run_jobqueue 100 2) "
    echo "run $r of $runs done" >&2
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
peer=$(echo "${times[beanstalkd]}" | median)
printf '%-44s %10s %8s   %s\n' "drain of $jobs no-op jobs" jobs/s "÷ peer" "seconds per run"
for name in beanstalkd defaults batch10 batch100; do
    m=$(echo "${times[$name]}" | median)
    label=$name
    case $name in
    beanstalkd) label="beanstalkd (binlog), $workers Python workers" ;;
    defaults) label="JobQueue, batch 100 × 4 (defaults), sync full" ;;
    batch10) label="JobQueue, batch 10 × 4, sync full" ;;
    batch100) label="JobQueue, batch 100 × 2, sync full" ;;
    esac
    printf '%-44s %10.0f %8.2f   %s\n' "$label" "$(awk -v n="$jobs" -v m="$m" 'BEGIN { print n / m }')" "$(awk -v p="$peer" -v m="$m" 'BEGIN { print p / m }')" "${times[$name]% }"
done
if grep -qiE 'error|critical' "$work/host.log"; then
    echo "host logs had errors:" >&2
    grep -iE 'error|critical' "$work/host.log" | head -5 >&2
    exit 1
fi
