#!/usr/bin/env bash
# What unique keys cost at enqueue: whole `jobqueue enqueue --file` processes storing N jobs in one
# transaction, on SQLite (sync full) and on PostgreSQL, without unique keys ("plain"), with a new
# key each ("unique"), and the same keyed jobs again, every key taken ("duplicate": nothing is
# stored, each gets the existing id). Runs are interleaved; medians and ratios to plain are printed.
#
#   scripts/bench-unique.sh [--runs R] [--jobs N] BUILD_FOLDER      e.g. .build/release
#
# Starts and stops its own PostgreSQL (scripts/postgres.sh).
set -euo pipefail

runs=5 jobs=20000 build=
while (($#)); do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -*) echo "usage: $0 [--runs R] [--jobs N] BUILD_FOLDER" >&2; exit 64 ;;
    *) build=$(cd "$1" && pwd); shift ;;
    esac
done
[[ -n $build ]] || { echo "usage: $0 [--runs R] [--jobs N] BUILD_FOLDER" >&2; exit 64; }

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/jq-bench-unique.XXXXXX)   # mode 700, as the host's file checks want
pgdir=$work.pg
trap '"$root/scripts/postgres.sh" stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
pg_url=$("$root/scripts/postgres.sh" start "$pgdir")

awk -v n="$jobs" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"t%d\", \"topic\": \"noop\", \"payload\": {}}\n", i % 100 }' >"$work/plain.jsonl"
awk -v n="$jobs" 'BEGIN { for (i = 0; i < n; i++) printf "{\"queue\": \"t%d\", \"topic\": \"noop\", \"payload\": {}, \"unique_key\": \"k%d\"}\n", i % 100, i }' >"$work/unique.jsonl"

# enqueue CONFIG FILE: prints the seconds one `enqueue --file` took
enqueue() {
    local start end
    start=$(date +%s.%N)
    "$build/jobqueue" enqueue --config "$1" --file "$2" >/dev/null
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }'
}

declare -A seconds
for ((r = 1; r <= runs; r++)); do
    for store in sqlite postgres; do
        for variant in plain unique; do
            config=$work/${store}_${variant}_$r.yaml
            if [[ $store == postgres ]]; then
                printf 'store: { url: "%s", schema: u_%s_%s }\n' "$pg_url" "$variant" "$r" >"$config"
            else
                printf 'store: { path: %s/%s_%s.db, sync: full }\n' "$work" "$variant" "$r" >"$config"
            fi
            printf 'topics:\n  noop: { plugin: %s/libNoopWorker.so }\n' "$build" >>"$config"
            chmod 600 "$config"
            seconds[$store,$variant]+="$(enqueue "$config" "$work/$variant.jsonl") "
            if [[ $variant == unique ]]; then seconds[$store,duplicate]+="$(enqueue "$config" "$work/unique.jsonl") "; fi
        done
    done
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-9s %-10s %12s %10s   %s\n' store variant "jobs/s" "÷ plain" "seconds per run"
for store in sqlite postgres; do
    plain=$(echo "${seconds[$store,plain]}" | median)
    for variant in plain unique duplicate; do
        m=$(echo "${seconds[$store,$variant]}" | median)
        awk -v s="$store" -v v="$variant" -v n="$jobs" -v m="$m" -v p="$plain" -v all="${seconds[$store,$variant]}" \
            'BEGIN { printf "%-9s %-10s %12.0f %10.2f   %s\n", s, v, n / m, p / m, all }'
    done
done
