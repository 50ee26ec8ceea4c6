#!/usr/bin/env bash
# What topics' limits cost: whole `jobqueue run --drain` processes draining N no-op jobs spread
# over T tenants (queues), with no limit, with `max_running_per_queue: 1` (every tenant at its
# limit while its job runs), with a `max_running` the consumers never reach (the topic-wide count
# on every take) and with a `rate` they never reach (the rate window on every take).
#
#   scripts/bench-limits.sh [--runs R] [--jobs N] [--tenants T] [--ms MS] [--postgres URL] BUILD_FOLDER
#
# Defaults: 3 runs, 20,000 jobs, 1,000 tenants, batch 10 × concurrency 4, SQLite (sync full) or,
# with --postgres, a fresh schema per run. With --ms, each job sleeps MS ms (the FaultWorker
# fixture) instead of doing nothing. Runs are interleaved; medians and ratios to no limit.
set -euo pipefail

runs=3 jobs=20000 tenants=1000 ms=0 postgres= build=
usage="usage: $0 [--runs R] [--jobs N] [--tenants T] [--ms MS] [--postgres URL] BUILD_FOLDER"
while (($#)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --tenants) tenants=$2; shift 2 ;;
    --ms) ms=$2; shift 2 ;;
    --postgres) postgres=$2; shift 2 ;;
    -*) echo "$usage" >&2; exit 64 ;;
    *) build=$(cd "$1" && pwd); shift ;;
    esac
done
[[ -n $build ]] || { echo "$usage" >&2; exit 64; }

work=$(mktemp -d /tmp/jq-bench-limits.XXXXXX)   # mode 700, as the host's file checks want
trap 'rm -rf "$work"' EXIT
payload='{}' plugin=libNoopWorker.so
if ((ms > 0)); then payload="\"sleep:$ms\"" plugin=libFaultWorker.so; fi
awk -v n="$jobs" -v t="$tenants" -v p="$payload" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"tenant-%d\", \"topic\": \"noop\", \"payload\": %s}\n", i % t, p }' >"$work/jobs.jsonl"

declare -A limits=(
    [none]=""
    [per-queue-1]="max_running_per_queue: 1"
    [max-running-40]="max_running: 40"
    [rate-100000/s]="rate: 100000/s"
)
cases=(none per-queue-1 max-running-40 rate-100000/s)

# run CASE: prints the seconds one drain took
run() {
    local config=$work/config.yaml store="{ path: $work/queue.db, sync: full }"
    rm -f "$work"/queue.db*
    local schema=limits_$(date +%s%N)
    if [[ -n $postgres ]]; then store="{ url: \"$postgres\", schema: $schema }"; fi
    cat >"$config" <<YAML
store: $store
consumer: { concurrency: 4, batch_size: 10 }
log: { level: warning }
topics:
  noop: { plugin: $build/$plugin${limits[$1]:+, ${limits[$1]}} }
YAML
    chmod 600 "$config"
    "$build/jobqueue" enqueue --config "$config" --file "$work/jobs.jsonl" >/dev/null
    local start end
    start=$(date +%s.%N)
    "$build/jobqueue" run --drain --config "$config" 2>>"$work/host.log"
    end=$(date +%s.%N)
    # A drained schema left behind would be vacuumed during the next runs.
    if [[ -n $postgres ]] && command -v psql >/dev/null; then psql -q "$postgres" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true; fi
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

declare -A times
for ((r = 1; r <= runs; r++)); do
    for name in "${cases[@]}"; do times[$name]+="$(run "$name") "; done
    echo "run $r of $runs done" >&2
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
none=$(echo "${times[none]}" | median)
printf '%-16s %10s %10s   %s\n' limit jobs/s "÷ none" "seconds per run"
for name in "${cases[@]}"; do
    m=$(echo "${times[$name]}" | median)
    awk -v c="$name" -v n="$jobs" -v m="$m" -v z="$none" -v all="${times[$name]}" 'BEGIN { printf "%-16s %10.0f %10.2f   %s\n", c, n / m, z / m, all }'
done
if grep -qiE 'error|critical' "$work/host.log"; then
    echo "host logs had errors:" >&2
    grep -iE 'error|critical' "$work/host.log" | head -5 >&2
    exit 1
fi
