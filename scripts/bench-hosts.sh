#!/usr/bin/env bash
# End-to-end throughput of 1, 2, 3… `jobqueue run --drain` host processes working one queue set,
# on PostgreSQL and on SQLite (all hosts sharing one database file), with the no-op C plugin.
#
#   scripts/bench-hosts.sh [--jobs N] [--hosts "1 2 3"] [--runs R]
#
# Each run: a fresh store (a new PostgreSQL schema, or a new SQLite file), N jobs enqueued in one
# transaction over 100 queues (t0..t99), then H hosts started at once; the time is from their start
# until the last one exits (process start, plugin load and fork server included). jobs/s = N / time.
# Afterwards `jobqueue status --json` must show nothing ready/scheduled/running/dead; host logs are
# scanned for warning/error lines. Runs are interleaved (run 1 of every combination, then run 2…).
# Builds release into .build-bench if needed; starts and stops its own PostgreSQL (scripts/postgres.sh).
# Host logs stay in the printed directory. Note: CPU count matters (hosts, children and PostgreSQL
# share the machine).
set -euo pipefail

jobs=20000 hosts="1 2 3" runs=3
while (($#)); do
    case $1 in
    --jobs) jobs=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--jobs N] [--hosts \"1 2 3\"] [--runs R]" >&2; exit 64 ;;
    esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/.build-bench/release
jq=$bin/jobqueue plugin=$bin/libNoopWorker.so
if [[ ! -x $jq || ! -f $plugin || ! -x $bin/jobqueue-forkserver ]]; then
    echo "building release into .build-bench (first build takes several minutes)…" >&2
    (cd "$root" && swift build -c release --scratch-path .build-bench) >&2
fi

work=$(mktemp -d /tmp/jq-bench-hosts.XXXXXX)   # mode 700, as the host's file checks want
pgdir=$work.pg                                 # outside $work: the server may run as `postgres`
host_pids=()
cleanup() {
    for pid in "${host_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    "$root/scripts/postgres.sh" stop "$pgdir" >/dev/null 2>&1 || true
    rm -f "$work"/*.db "$work"/*.db-* "$work/jobs.jsonl"
}
trap cleanup EXIT
pg_url=$("$root/scripts/postgres.sh" start "$pgdir")
mkdir -p "$work/logs"

awk -v n="$jobs" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"t%d\", \"topic\": \"noop\", \"payload\": {}}\n", i % 100 }' >"$work/jobs.jsonl"

# write_config STORE NAME: a config for a fresh store, printed as its path
write_config() {
    local config=$work/$2.yaml
    if [[ $1 == postgres ]]; then
        printf 'store:\n  url: %s\n  schema: %s\n' "$pg_url" "$2" >"$config"
    else
        printf 'store:\n  path: %s\n' "$work/$2.db" >"$config"
    fi
    printf 'consumer:\n  concurrency: 4\n  batch_size: 10\ntopics:\n  noop:\n    plugin: %s\n' "$plugin" >>"$config"
    chmod 600 "$config"
    echo "$config"
}

declare -A rates problems
for ((r = 1; r <= runs; r++)); do
    for store in postgres sqlite; do
        for h in $hosts; do
            name=bench_${store}_h${h}_r$r
            config=$(write_config "$store" "$name")
            "$jq" enqueue --config "$config" --file "$work/jobs.jsonl" >/dev/null
            host_pids=()
            start=$(date +%s.%N)
            for ((i = 1; i <= h; i++)); do
                timeout 600 "$jq" run --config "$config" --drain 2>"$work/logs/$name.host$i.log" &
                host_pids+=($!)
            done
            failed=0
            for pid in "${host_pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
            end=$(date +%s.%N)
            host_pids=()
            rate=$(awk -v n="$jobs" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", n / (e - s) }')
            rates[$store,$h]+="$rate "
            note=""
            ((failed)) && note+="$failed host(s) exited non-zero; "
            totals=$("$jq" status --config "$config" --json | tr -d ' \n' | grep -o '"totals":{[^}]*}')
            grep -qE ':[1-9]' <<<"$totals" && note+="left over $totals; "
            bad=$(cat "$work/logs/$name".host*.log | awk '$2 ~ /^(warning|error|critical)$/' | wc -l)
            ((bad)) && note+="$bad warning/error log lines; "
            [[ -n $note ]] && problems[$store,$h]+="run $r: $note"
            printf '%-8s hosts=%s run=%s  %6s jobs/s %s\n' "$store" "$h" "$r" "$rate" "$note" >&2
            rm -f "$work/$name.db" "$work/$name.db-"*
        done
    done
done

echo
echo "jobs=$jobs over 100 queues, concurrency 4, batch_size 10, runs=$runs, $(nproc) CPUs"
printf '%-9s %5s %12s %17s\n' store hosts "median jobs/s" "min–max"
for store in postgres sqlite; do
    for h in $hosts; do
        read -r median min max < <(tr ' ' '\n' <<<"${rates[$store,$h]}" | grep . | sort -n |
            awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.0f %s %s\n", m, v[1], v[NR] }')
        printf '%-9s %5s %12s %17s\n' "$store" "$h" "$median" "$min–$max"
    done
done
for key in "${!problems[@]}"; do echo "anomaly ${key/,/ hosts=}: ${problems[$key]}"; done
echo "host logs: $work/logs"
