#!/usr/bin/env bash
# Jobs that take time, through whole `jobqueue run --drain` processes: the three cases the
# concurrency issue was filed with, and no-op throughput at batch 10 × 4, 100 × 4 and 100 × 2, for
# one or more release builds side by side (e.g. before and after a change, in the same run).
#
#   scripts/bench-timed.sh [--runs R] [--ms MS] [--noop N] [--postgres URL] BUILD_FOLDER...
#
# BUILD_FOLDER is a release build's products folder (e.g. .build/release, or another checkout's).
# Cases, at the build's consumer defaults (`concurrency: 4`), each job sleeping MS ms (default 500) in
# the FaultWorker fixture plugin:
#   one     8 jobs in one queue                      ideal 2 × MS
#   spread  8 jobs in 8 queues                       ideal 2 × MS
#   both    8 jobs in one queue + 8 in 8 other ones  ideal 4 × MS
# and N no-op jobs (default 20,000, one queue; NoopWorker) drained at batch 10 × 4 (the defaults
# before 2026-12), 100 × 4 (the defaults since) and 100 × 2.
# Each time is from the host's start to its exit (start-up and plugin load included). Runs are
# interleaved (run 1 of every build and case, then run 2…); the medians are printed. The store is a
# fresh SQLite file per run (sync full), or with --postgres a fresh schema per run in that database.
set -euo pipefail

runs=3 ms=500 noop=20000 postgres= builds=()
while (($#)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --ms) ms=$2; shift 2 ;;
    --noop) noop=$2; shift 2 ;;
    --postgres) postgres=$2; shift 2 ;;
    -*) echo "usage: $0 [--runs R] [--ms MS] [--noop N] [--postgres URL] BUILD_FOLDER..." >&2; exit 64 ;;
    *) builds+=("$(cd "$1" && pwd)"); shift ;;
    esac
done
((${#builds[@]})) || { echo "usage: $0 [--runs R] [--ms MS] [--noop N] [--postgres URL] BUILD_FOLDER..." >&2; exit 64; }

work=$(mktemp -d /tmp/jq-bench-timed.XXXXXX)   # mode 700, as the host's file checks want
trap 'rm -rf "$work"' EXIT

sleeps() { # QUEUE COUNT: COUNT sleeping jobs for QUEUE, one JSON line each
    for ((i = 0; i < $2; i++)); do printf '{"queue": "%s", "topic": "timed", "payload": "sleep:%s"}\n' "$1" "$ms"; done
}
sleeps tenant-0 8 >"$work/one.jsonl"
for q in 1 2 3 4 5 6 7 8; do sleeps "tenant-$q" 1; done >"$work/spread.jsonl"
cat "$work/one.jsonl" "$work/spread.jsonl" >"$work/both.jsonl"
awk -v n="$noop" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"tenant-0\", \"topic\": \"noop\", \"payload\": {}}\n" }' >"$work/noop.jsonl"

# run BUILD CASE: prints the seconds one drain took
run() {
    local build=$1 name=$2 consumer="{}" jobs=$2
    case $name in
    noop-b10c4) jobs=noop consumer="{ concurrency: 4, batch_size: 10 }" ;;
    noop-b100c4) jobs=noop consumer="{ concurrency: 4, batch_size: 100 }" ;;
    noop-b100c2) jobs=noop consumer="{ concurrency: 2, batch_size: 100 }" ;;
    esac
    local config=$work/config.yaml store="{ path: $work/queue.db }"
    rm -f "$work"/queue.db*
    if [[ -n $postgres ]]; then
        store="{ url: \"$postgres\", schema: timed_$(date +%s%N) }"
    fi
    cat >"$config" <<EOF
store: $store
consumer: $consumer
log: { level: warning }
topics:
  timed: { plugin: $build/libFaultWorker.so }
  noop: { plugin: $build/libNoopWorker.so }
EOF
    chmod 600 "$config"
    "$build/jobqueue" enqueue --config "$config" --file "$work/$jobs.jsonl" >/dev/null
    local start end
    start=$(date +%s.%N)
    "$build/jobqueue" run --drain --config "$config" 2>>"$work/host.log"
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

cases=(one spread both noop-b10c4 noop-b100c4 noop-b100c2)
declare -A times
for ((r = 1; r <= runs; r++)); do
    for name in "${cases[@]}"; do
        for build in "${builds[@]}"; do
            times[$build/$name]+="$(run "$build" "$name") "
        done
    done
    echo "run $r of $runs done" >&2
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-12s %-10s %10s %10s   %s\n' case measure median ideal "build (runs)"
for name in "${cases[@]}"; do
    for build in "${builds[@]}"; do
        m=$(echo "${times[$build/$name]}" | median)
        case $name in
        one | spread) printf '%-12s %-10s %9.2fs %9.2fs   %s (%s)\n' "$name" wall "$m" "$(awk -v ms="$ms" 'BEGIN { print 2 * ms / 1000 }')" "$build" "${times[$build/$name]% }" ;;
        both) printf '%-12s %-10s %9.2fs %9.2fs   %s (%s)\n' "$name" wall "$m" "$(awk -v ms="$ms" 'BEGIN { print 4 * ms / 1000 }')" "$build" "${times[$build/$name]% }" ;;
        *) printf '%-12s %-10s %8.0f/s %10s   %s (%s)\n' "$name" jobs/s "$(awk -v n="$noop" -v m="$m" 'BEGIN { print n / m }')" - "$build" "${times[$build/$name]% }" ;;
        esac
    done
done
if grep -qiE 'error|critical' "$work/host.log"; then
    echo "host logs had errors:" >&2
    grep -iE 'error|critical' "$work/host.log" | head -5 >&2
    exit 1
fi
