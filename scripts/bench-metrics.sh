#!/usr/bin/env bash
# What the HTTP listener costs: whole `jobqueue run --drain` processes draining N no-op jobs at
# batch 10 × 4 and 100 × 2, and T jobs of 5 ms (FaultWorker `sleep:5`, as real jobs take time) at
# 10 × 4, with no `http:` section ("off") and with one whose /metrics is scraped every second while
# the host drains ("on"). Runs are interleaved; medians and on/off are printed.
#
#   scripts/bench-metrics.sh [--runs R] [--noop N] [--timed T] BUILD_FOLDER      e.g. .build/release
#
# Needs python3 (the scraper).
set -euo pipefail

runs=5 noop=20000 timed=2000 build=
while (($#)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --noop) noop=$2; shift 2 ;;
    --timed) timed=$2; shift 2 ;;
    -*) echo "usage: $0 [--runs R] [--noop N] [--timed T] BUILD_FOLDER" >&2; exit 64 ;;
    *) build=$(cd "$1" && pwd); shift ;;
    esac
done
[[ -n $build ]] || { echo "usage: $0 [--runs R] [--noop N] [--timed T] BUILD_FOLDER" >&2; exit 64; }

work=$(mktemp -d /tmp/jq-bench-metrics.XXXXXX)   # mode 700, as the host's file checks want
trap 'rm -rf "$work"' EXIT
awk -v n="$noop" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"tenant-0\", \"topic\": \"noop\", \"payload\": {}}\n" }' >"$work/noop.jsonl"
awk -v n="$timed" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"tenant-%d\", \"topic\": \"timed\", \"payload\": \"sleep:5\"}\n", i % 8 }' >"$work/timed.jsonl"
port=19187

# run SETTING JOBS BATCH CONCURRENCY: prints the seconds one drain of JOBS (noop or timed) took
run() {
    local setting=$1 jobs=$2 batch=$3 concurrency=$4 config=$work/config.yaml scraper=
    rm -f "$work"/queue.db*
    cat >"$config" <<CONFIG
store: { path: $work/queue.db }
consumer: { concurrency: $concurrency, batch_size: $batch }
log: { level: warning }
topics:
  noop: { plugin: $build/libNoopWorker.so }
  timed: { plugin: $build/libFaultWorker.so }
CONFIG
    if [[ $setting == on ]]; then echo "http: { listen: 127.0.0.1:$port }" >>"$config"; fi
    chmod 600 "$config"
    "$build/jobqueue" enqueue --config "$config" --file "$work/$jobs.jsonl" >/dev/null
    if [[ $setting == on ]]; then
        python3 -c '
import sys, time, urllib.request
while True:
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1).read()
    except Exception:
        pass
    time.sleep(1)' "http://127.0.0.1:$port/metrics" &
        scraper=$!
    fi
    local start end
    start=$(date +%s.%N)
    "$build/jobqueue" run --drain --config "$config" 2>>"$work/host.log"
    end=$(date +%s.%N)
    if [[ -n $scraper ]]; then kill "$scraper"; wait "$scraper" 2>/dev/null || true; fi
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

cases=("noop 10 4" "noop 100 2" "timed 10 4")
declare -A times
for ((r = 1; r <= runs; r++)); do
    for shape in "${cases[@]}"; do
        for setting in off on; do
            times[$setting/$shape]+="$(run "$setting" $shape) "
        done
    done
    echo "run $r of $runs done" >&2
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-20s %12s %12s %8s\n' "jobs, batch × conc." "off jobs/s" "on jobs/s" "on/off"
for shape in "${cases[@]}"; do
    off=$(echo "${times[off/$shape]}" | median)
    on=$(echo "${times[on/$shape]}" | median)
    count=$noop
    if [[ $shape == timed* ]]; then count=$timed; fi
    awk -v n="$count" -v off="$off" -v on="$on" -v shape="$shape" \
        'BEGIN { split(shape, s, " "); printf "%-20s %12.0f %12.0f %8.3f\n", s[1] ", " s[2] " × " s[3], n / off, n / on, off / on }'
done
if grep -qiE 'error|critical' "$work/host.log"; then
    echo "host logs had errors:" >&2
    grep -iE 'error|critical' "$work/host.log" | head -5 >&2
    exit 1
fi
