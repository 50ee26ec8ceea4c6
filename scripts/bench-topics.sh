#!/usr/bin/env bash
# What serving many topics costs: for each build, and for 1, 10 and 50 topics (or --topics), the
# memory of the host's fork servers and how long it takes to serve after it starts (read once,
# while it idles), then whole `jobqueue run --drain` processes draining 20,000 no-op jobs spread
# over the topics × 100 tenants (batch 10 × 4, SQLite sync full), runs interleaved, medians.
#
#   scripts/bench-topics.sh [--runs R] [--topics "1 10 50"] [--jobs N] [--ms MS] BUILD_FOLDER...
#
# With --ms, each job sleeps MS ms (the FaultWorker fixture) instead of doing nothing; --jobs sets
# how many (20,000 by default).
#
# All topics name the build's NoopWorker (FaultWorker with --ms); for a build from before topics could share a plugin
# file (its `check` refuses that), each topic gets a copy of its own.
set -euo pipefail

runs=5 counts="1 10 50" jobs=20000 ms=0 builds=()
usage="usage: $0 [--runs R] [--topics \"1 10 50\"] [--jobs N] [--ms MS] BUILD_FOLDER..."
while (($#)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --topics) counts=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --ms) ms=$2; shift 2 ;;
    -*) echo "$usage" >&2; exit 64 ;;
    *) builds+=("$(cd "$1" && pwd)"); shift ;;
    esac
done
((${#builds[@]})) || { echo "$usage" >&2; exit 64; }

work=$(mktemp -d /tmp/jq-bench-topics.XXXXXX)   # mode 700, as the host's file checks want
trap 'rm -rf "$work"' EXIT
library=libNoopWorker.so payload='{}'
if ((ms > 0)); then library=libFaultWorker.so payload="\"sleep:$ms\""; fi

# shares BUILD: true if BUILD lets two topics name one plugin file
shares() {
    config "$1" 2 >"$work/config.yaml"
    "$1/jobqueue" check --config "$work/config.yaml" >/dev/null 2>&1
}

# config BUILD N: a config serving N topics from BUILD's plugin
config() {
    local build=$1 n=$2 plugin=$1/$library copies=${copies[$1]:-false}
    printf 'store: { path: %s/queue.db, sync: full }\nconsumer: { concurrency: 4, batch_size: 10 }\nlog: { level: warning }\ntopics:\n' "$work"
    for ((i = 0; i < n; i++)); do
        if [[ $copies == true ]]; then plugin=$work/libnoop$i.so; cp "$build/$library" "$plugin"; fi
        printf '  noop%d: { plugin: %s }\n' "$i" "$plugin"
    done
}

# memory BUILD N: one line on the idle host's fork servers
memory() {
    local build=$1 n=$2
    rm -f "$work"/queue.db*
    config "$build" "$n" >"$work/config.yaml"
    local start end host rss=0 pss=0 servers=0
    start=$(date +%s%N)
    "$build/jobqueue" run --config "$work/config.yaml" 2>>"$work/host.log" &
    host=$!
    until "$build/jobqueue" status --json --config "$work/config.yaml" 2>/dev/null | grep -q "\"pid\" *: *$host\b"; do sleep 0.02; done
    end=$(date +%s%N)
    for pid in $(pgrep -P "$host"); do
        servers=$((servers + 1))
        rss=$((rss + $(ps -o rss= -p "$pid")))
        pss=$((pss + $(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup")))
    done
    kill "$host"; wait "$host" || true
    printf '%-40s %3d topics: %2d fork servers, %7d kB resident, %6d kB proportional; serving after %d ms\n' \
        "$build" "$n" "$servers" "$rss" "$pss" $(((end - start) / 1000000))
}

# drain BUILD N: prints the seconds one drain took
drain() {
    local build=$1 n=$2 start end
    rm -f "$work"/queue.db*
    config "$build" "$n" >"$work/config.yaml"
    awk -v t="$n" -v n="$jobs" -v p="$payload" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"tenant-%d\", \"topic\": \"noop%d\", \"payload\": %s}\n", i % 100, i % t, p }' >"$work/jobs.jsonl"
    "$build/jobqueue" enqueue --config "$work/config.yaml" --file "$work/jobs.jsonl" >/dev/null
    start=$(date +%s.%N)
    "$build/jobqueue" run --drain --config "$work/config.yaml" 2>>"$work/host.log"
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}

declare -A copies=()
for build in "${builds[@]}"; do
    if shares "$build"; then copies[$build]=false; else copies[$build]=true; fi
done

for n in $counts; do
    for build in "${builds[@]}"; do memory "$build" "$n"; done
    declare -A times=()
    for ((run = 1; run <= runs; run++)); do
        for build in "${builds[@]}"; do times[$build]+="$(drain "$build" "$n") "; done
    done
    for build in "${builds[@]}"; do
        median=$(tr ' ' '\n' <<<"${times[$build]}" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
        printf '%-40s %3d topics: drain median %s s (%s)\n' "$build" "$n" "$median" "${times[$build]% }"
    done
    unset times
done
