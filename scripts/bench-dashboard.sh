#!/usr/bin/env bash
# How fast the dashboard's API and /metrics answer over a large store: TENANTS queues holding JOBS
# queued jobs in all (a tenth of them scheduled), on a
# host that serves none of their topic (so the store stays as built). Each endpoint is asked R times in a row;
# p50, p99 and the largest are printed in milliseconds (the first request after the start, which
# waits for the host's first read of the counts, apart); then how long `jobqueue status --json` takes.
#
#   scripts/bench-dashboard.sh [--tenants N] [--jobs J] [--requests R] BUILD_FOLDER   e.g. .build/release
#
# Needs python3 (the load and the client).
set -euo pipefail

tenants=100000 jobs=1000000 requests=50 build=
while (($#)); do
    case $1 in
    --tenants) tenants=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    -*) echo "usage: $0 [--tenants N] [--jobs J] [--requests R] BUILD_FOLDER" >&2; exit 64 ;;
    *) build=$(cd "$1" && pwd); shift ;;
    esac
done
[[ -n $build ]] || { echo "usage: $0 [--tenants N] [--jobs J] [--requests R] BUILD_FOLDER" >&2; exit 64; }

work=$(mktemp -d /tmp/jq-bench-dashboard.XXXXXX)   # mode 700, as the host's file checks want
host=
trap '[[ -n $host ]] && kill "$host" 2>/dev/null; rm -rf "$work"' EXIT
port=19188
cat >"$work/config.yaml" <<CONFIG
store: { path: $work/queue.db, sync: normal }
log: { level: warning }
http: { listen: 127.0.0.1:$port }
topics:
  noop: { plugin: $build/libNoopWorker.so }   # serves a topic with no jobs: the store stays as built
CONFIG

echo "building a store of $jobs jobs in $tenants tenants…" >&2
python3 - "$work" "$tenants" "$jobs" <<'PYTHON'
import sys
work, tenants, jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
chunk = 200_000
for start in range(0, jobs, chunk):
    with open(f"{work}/jobs-{start // chunk:03}.jsonl", "w") as out:
        for i in range(start, min(start + chunk, jobs)):
            later = ', "in": "1h"' if i % 10 == 9 else ""
            out.write(f'{{"queue": "tenant-{i % tenants}", "topic": "report:build", "payload": {{"n": {i}}}{later}}}\n')
PYTHON
started=$(date +%s.%N)
for file in "$work"/jobs-*.jsonl; do "$build/jobqueue" enqueue --config "$work/config.yaml" --file "$file" >/dev/null 2>&1; done
echo "enqueued in $(python3 -c "print(round($(date +%s.%N) - $started, 1))") s" >&2

"$build/jobqueue" run --config "$work/config.yaml" 2>"$work/host.log" &
host=$!
for _ in $(seq 100); do grep -q "listening on" "$work/host.log" 2>/dev/null && break; sleep 0.1; done

python3 - "$port" "$requests" "$jobs" <<'PYTHON'
import statistics, sys, time, urllib.request
port, requests, jobs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
endpoints = ["/api/overview", "/api/queues?page=1", "/api/queues?sort=ready&page=1000", "/api/queues?search=tenant-4242",
             "/api/dead?search=boom", f"/api/jobs/{jobs // 2}", "/metrics"]
# The first request after the start waits for the host's first read of the counts: timed apart.
start = time.perf_counter()
with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/overview", timeout=60) as response:
    response.read()
print(f"first request after the start (waits for the first read of the counts): {(time.perf_counter() - start) * 1000:.1f} ms")
print(f"{'endpoint':<36} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
for path in endpoints:
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            response.read()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{path:<36} {statistics.median(times):8.1f} {p99:8.1f} {times[-1]:8.1f}")
PYTHON
started=$(date +%s.%N)
"$build/jobqueue" status --json --config "$work/config.yaml" >/dev/null
echo "jobqueue status --json (the whole command: start, read the counts, print every queue): $(python3 -c "print(round(($(date +%s.%N) - $started) * 1000))") ms"
