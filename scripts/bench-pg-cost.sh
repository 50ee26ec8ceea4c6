#!/usr/bin/env bash
# What a drain costs on PostgreSQL, for the model of docs/benchmarks.md ("Beyond one machine"):
# jobs/s, the server's CPU per job and the hosts' CPU per job (every `jobqueue run` with its fork
# servers and children), for H hosts started at once, batch × concurrency cells, and N queues.
#
#   scripts/bench-pg-cost.sh [--runs R] [--jobs N] [--hosts "1 2"] [--cells "10x4 100x2"] [--queues "100 1"] --postgres URL BUILD_FOLDER
#
# BUILD_FOLDER is a release build's products folder (e.g. .build/release). The server must run on
# this machine as a user that may read `data_directory` (its CPU is read from /proc: the
# postmaster's own and reaped children's time, plus its live children's, before and after each
# drain), e.g. the one `scripts/postgres.sh start` gives; the hosts' CPU is what `times` reports
# for this shell's children. Each run uses a fresh schema, dropped
# afterwards; runs are interleaved (run 1 of every case, then run 2…); medians are printed. Needs
# psql and python3.
set -euo pipefail
scripts=$(cd "$(dirname "$0")" && pwd)

runs=3 jobs=20000 hosts="1 2" cells="10x4 100x2" queues="100 1" postgres= build=
usage() {
    echo "usage: $0 [--runs R] [--jobs N] [--hosts \"1 2\"] [--cells \"10x4 100x2\"] [--queues \"100 1\"] --postgres URL BUILD_FOLDER" >&2
    exit 64
}
while [[ $# -gt 0 ]]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --cells) cells=$2; shift 2 ;;
    --queues) queues=$2; shift 2 ;;
    --postgres) postgres=$2; shift 2 ;;
    -*) usage ;;
    *) build=$(cd "$1" && pwd); shift ;;
    esac
done
[[ -n $postgres && -n $build ]] || usage
command -v psql >/dev/null || { echo "$0: needs psql" >&2; exit 1; }

data=$(psql "$postgres" -Atc "SHOW data_directory")
postmaster=$(head -1 "$data/postmaster.pid" 2>/dev/null) || { echo "$0: the server's data directory ($data) is not readable here" >&2; exit 1; }

work=$(mktemp -d /tmp/jq-bench-pg-cost.XXXXXX)   # mode 700, as the host's file checks want
trap 'rm -rf "$work"' EXIT

# The server's CPU seconds so far.
server_cpu() {
    python3 "$scripts/postgres-cpu.py" "$postmaster"
}

# The CPU of this shell's reaped children in `times`'s report in file $1, in microseconds.
children_cpu() {
    tail -1 "$1" | awk '{ split($1, u, "m"); split($2, s, "m"); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1e6 }'
}

for count in $queues; do
    python3 - "$work/jobs-$count.jsonl" "$jobs" "$count" <<'PYTHON'
import sys
path, jobs, queues = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as out:
    for i in range(jobs):
        out.write(f'{{"queue": "q{i % queues}", "topic": "noop", "payload": {{}}}}\n')
PYTHON
done

for run in $(seq "$runs"); do
    for count in $queues; do
        for cell in $cells; do
            for hostCount in $hosts; do
                schema="cost_$(date +%s%N)"
                folder="$work/$count-$cell-$hostCount"
                mkdir -p "$folder"
                cat >"$folder/config.yaml" <<CONFIG
store: { url: "$postgres", schema: $schema }
log: { level: warning }
consumer: { batch_size: ${cell%x*}, concurrency: ${cell#*x} }
topics:
  noop: { plugin: $build/libNoopWorker.so }
CONFIG
                "$build/jobqueue" enqueue --config "$folder/config.yaml" --file "$work/jobs-$count.jsonl" >/dev/null
                before=$(server_cpu)
                times >"$folder/times.before"   # this shell's children's CPU so far (second line)
                started=$(date +%s.%N)
                for host in $(seq "$hostCount"); do
                    "$build/jobqueue" run --drain --config "$folder/config.yaml" >/dev/null 2>"$folder/host.$host.log" &
                done
                wait
                ended=$(date +%s.%N)
                times >"$folder/times.after"
                after=$(server_cpu)
                left=$("$build/jobqueue" status --json --config "$folder/config.yaml" |
                    python3 -c 'import json, sys; t = json.load(sys.stdin)["totals"]; print(sum(t[k] for k in ("ready", "scheduled", "leased", "dead")))')
                [[ $left == 0 ]] || { echo "$0: $left jobs left after the drain ($folder)" >&2; exit 1; }
                hostsCPU=$(($(children_cpu "$folder/times.after") - $(children_cpu "$folder/times.before")))
                echo "$count $cell $hostCount $(python3 -c "print($jobs / ($ended - $started), ($after - $before) / $jobs * 1e6, $hostsCPU / $jobs)")" \
                    >>"$work/results"
                psql "$postgres" -q -c "SET client_min_messages = warning" -c "DROP SCHEMA $schema CASCADE" >/dev/null
            done
        done
    done
    echo "run $run of $runs done" >&2
done

python3 - "$work/results" <<'PYTHON'
import statistics, sys
cases = {}
for line in open(sys.argv[1]):
    queues, cell, hosts, rate, server, host = line.split()
    cases.setdefault((queues, cell, hosts), []).append((float(rate), float(server), float(host)))
print(f"{'queues':>6} {'batch×conc':>10} {'hosts':>5} {'jobs/s':>8} {'server µs/job':>14} {'hosts µs/job':>13}")
for (queues, cell, hosts), figures in cases.items():
    rate, server, host = (statistics.median(column) for column in zip(*figures))
    print(f"{queues:>6} {cell:>10} {hosts:>5} {rate:8.0f} {server:14.1f} {host:13.1f}")
PYTHON
