#!/usr/bin/env bash
# What a topic's sandbox costs: whole `jobqueue run --drain` processes draining no-op jobs over
# 100 tenants (SQLite sync full), once with a plain topic and once with the same topic under
# `sandbox: { network: false, writable: [...], readable: [...] }`, runs interleaved, medians.
# Two scenarios: the consumer defaults (20,000 jobs), and batch_size 1 (5,000 jobs), where every
# job is a fork-and-run of its own and so shows the sandbox's cost per batch.
#
# With --ms MS, each job sleeps MS ms (the FaultWorker fixture) instead of doing nothing, and the
# scenarios drain --jobs N jobs (800 by default) at the defaults and at batch_size 1.
#
#   scripts/bench-sandbox.sh [--runs R] [--ms MS] [--jobs N] BUILD_FOLDER
set -euo pipefail

runs=7 ms=0 jobs=
usage="usage: $0 [--runs R] [--ms MS] [--jobs N] BUILD_FOLDER"
while (($# > 1)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --ms) ms=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "$usage" >&2; exit 64 ;;
    esac
done
(($# == 1)) || { echo "$usage" >&2; exit 64; }
build=$(cd "$1" && pwd)

work=$(mktemp -d /tmp/jq-bench-sandbox.XXXXXX)   # mode 700, as the host's file checks want
trap 'rm -rf "$work"' EXIT
mkdir "$work/out" "$work/data"
library=libNoopWorker.so payload='{}'
if ((ms > 0)); then library=libFaultWorker.so payload="\"sleep:$ms\""; fi

# config SANDBOX CONSUMER: the config of one no-op topic, sandboxed or not
config() {
    printf 'store: { path: %s/queue.db, sync: full }\nlog: { level: warning }\n' "$work"
    [[ -n $2 ]] && printf 'consumer: %s\n' "$2"
    printf 'topics:\n  noop:\n    plugin: %s/%s\n' "$build" "$library"
    [[ $1 == yes ]] && printf '    sandbox: { network: false, writable: [%s/out], readable: [%s/data] }\n' "$work" "$work"
    return 0
}

# drain SANDBOX CONSUMER JOBS: prints the seconds one drain took
drain() {
    local start end
    rm -f "$work"/queue.db*
    config "$1" "$2" >"$work/config.yaml"
    awk -v n="$3" -v p="$payload" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"tenant-%d\", \"topic\": \"noop\", \"payload\": %s}\n", i % 100, p }' >"$work/jobs.jsonl"
    "$build/jobqueue" enqueue --config "$work/config.yaml" --file "$work/jobs.jsonl" >/dev/null
    start=$(date +%s.%N)
    "$build/jobqueue" run --drain --config "$work/config.yaml" 2>>"$work/host.log"
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

config yes "" >"$work/config.yaml"
"$build/jobqueue" check --config "$work/config.yaml" | sed -n 's/^ *sandbox: /sandboxed topic: /p'

scenarios=("defaults||${jobs:-20000}" "batch_size 1|{ batch_size: 1 }|${jobs:-5000}")
((ms > 0)) && scenarios=("defaults||${jobs:-800}" "batch_size 1|{ batch_size: 1 }|${jobs:-800}")
for scenario in "${scenarios[@]}"; do
    IFS='|' read -r name consumer jobs <<<"$scenario"
    plain="" sandboxed=""
    for ((run = 1; run <= runs; run++)); do
        plain+="$(drain no "$consumer" "$jobs") "
        sandboxed+="$(drain yes "$consumer" "$jobs") "
    done
    a=$(median "$plain") b=$(median "$sandboxed")
    awk -v name="$name" -v n="$jobs" -v a="$a" -v b="$b" 'BEGIN {
        printf "%-13s %6d jobs: plain %s s (%.0f jobs/s), sandboxed %s s (%.0f jobs/s): sandboxed / plain throughput %.3f\n", name, n, a, n / a, b, n / b, a / b
    }'
    printf '  plain runs: %s\n  sandboxed runs: %s\n' "${plain% }" "${sandboxed% }"
done
