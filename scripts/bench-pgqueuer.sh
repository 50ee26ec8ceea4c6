#!/usr/bin/env bash
# JobQueue's PostgreSQL store beside pgqueuer 1.6.0 (Python, asyncpg; FOR UPDATE SKIP LOCKED
# dequeues, LISTEN/NOTIFY wake-ups), the peer of docs/benchmarks.md: N no-op jobs drained to
# empty on the same server, per batch × concurrency cell, interleaved runs, medians.
#
#   scripts/bench-pgqueuer.sh [--runs R] [--jobs N] [--queues Q] [--cells "10x4 100x4 100x2"] --postgres URL BUILD_FOLDER
#
# Per system and cell: jobs/s (and, per cell, JobQueue's ÷ pgqueuer's in each run, the two drains
# of a run being back to back); the server's CPU per job (read from /proc as in
# scripts/bench-pg-cost.sh: the postmaster's own and reaped children's time plus its live
# children's, before and after the drain, so the server must run on this machine as a user that
# may read `data_directory`, e.g. the one `scripts/postgres.sh start` gives); statements per job
# (pg_stat_statements, which the server must preload, as `scripts/postgres.sh` does: reset just
# before the drain, after it the sum of `calls` of the measured database, without this script's
# own queries, which all name a pg_stat view); rows read per job (the drain's delta of
# seq_tup_read + idx_tup_fetch over the measured tables, pg_stat_user_tables) and index entries
# read per job (delta of idx_tup_read, pg_stat_user_indexes). Those table counters reach the view
# only when a backend flushes them (at most once a second while it runs, and when it exits), so
# each reading waits until no client of the database is left and then until two readings
# 0.25 s apart agree.
#
# JobQueue: BUILD_FOLDER's (a release build's products, e.g. .build/release) `jobqueue enqueue
# --file` of N jobs spread over Q queues (default 100), then `jobqueue run --drain` with the
# NoopWorker plugin at `consumer: { batch_size: B, concurrency: C }`, in a fresh schema of URL's
# database, dropped afterwards; timed from the host's start to its exit.
#
# pgqueuer (Benchmarks/pgqueuer/drain.py; installed from PyPI into Benchmarks/pgqueuer/.venv on
# first use, versions pinned in its requirements.txt): a fresh database per run on the same
# server (schema by `Queries.install()`, as `pgq install`; dropped afterwards), N jobs enqueued
# for the one entrypoint "noop" in INSERTs of 1,000, then one process with one asyncpg connection
# and one QueueManager, as `pgq run` sets it up, drains them. Cell B × C maps to
# `QueueManager.run(batch_size=B, max_concurrent_tasks=B × C)`: a dequeue claims up to B jobs and
# the worker holds at most B × C picked jobs, what a JobQueue host leases at most (C batches of up
# to B); pgqueuer wants at least 2 × B there, which C = 1 gets. The entrypoint has no
# concurrency_limit: that caps the entrypoint's running jobs across all workers, so C there would
# cut each dequeue to C jobs. pgqueuer has no tenant queues; its nearest equivalent, one
# entrypoint per tenant (each registered in every worker, each dequeue looking into each), is not
# used. Timed in the process from just before it connects until `run()` returns (the no-op
# entrypoint sets the shutdown event when it has run all N jobs, or drain mode finds the queue
# empty; buffered completions are written before `run()` returns), so Python's start-up and
# imports (~0.35 s) are not.
#
# Both sides use the server's durability as it is (synchronous_commit as configured; pgqueuer's
# default install: all tables logged). Enqueueing is not measured; after it, the system's tables
# are ANALYZEd, so that both drains plan with current statistics, not with whatever autovacuum
# had gathered by then (which changed the plans, and the rows read per job several-fold, from run
# to run). Statements are top-level ones (pg_stat_statements.track = top: not pgqueuer's NOTIFY
# trigger's), BEGIN and COMMIT included (track_utility: JobQueue's transactions of several
# statements count them; pgqueuer's statements each run alone, in autocommit). Needs psql and
# python3.
set -euo pipefail
scripts=$(cd "$(dirname "$0")" && pwd)

runs=3 jobs=20000 queues=100 cells="10x4 100x4 100x2" postgres= build=
usage() {
    echo "usage: $0 [--runs R] [--jobs N] [--queues Q] [--cells \"10x4 100x4 100x2\"] --postgres URL BUILD_FOLDER" >&2
    exit 64
}
while [[ $# -gt 0 ]]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --queues) queues=$2; shift 2 ;;
    --cells) cells=$2; shift 2 ;;
    --postgres) postgres=$2; shift 2 ;;
    -*) usage ;;
    *) build=$(cd "$1" && pwd); shift ;;
    esac
done
[[ -n $postgres && -n $build ]] || usage
command -v psql >/dev/null || { echo "$0: needs psql" >&2; exit 1; }

data=$(psql "$postgres" -Atc "SHOW data_directory")
postmaster=$(head -1 "$data/postmaster.pid" 2>/dev/null) || { echo "$0: the server's data directory ($data) is not readable here" >&2; exit 1; }
psql "$postgres" -Atc "SHOW shared_preload_libraries" | grep -q pg_stat_statements ||
    { echo "$0: the server does not preload pg_stat_statements (scripts/postgres.sh does)" >&2; exit 1; }
psql "$postgres" -q -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"

peer=$(cd "$scripts/../Benchmarks/pgqueuer" && pwd)
if ! "$peer/.venv/bin/python" -c "import asyncpg, pgqueuer" 2>/dev/null; then
    python3 -m venv "$peer/.venv"
    "$peer/.venv/bin/pip" install -q --disable-pip-version-check -r "$peer/requirements.txt"
fi

work=$(mktemp -d /tmp/jq-bench-pgqueuer.XXXXXX) # mode 700, as the host's file checks want
schema= database=
cleanUp() {
    # What a failed run leaves behind.
    if [[ -n $schema ]]; then psql "$postgres" -q -c "SET client_min_messages = warning" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true; fi
    if [[ -n $database ]]; then psql "$postgres" -q -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanUp EXIT

# URL with its database replaced by $1.
url_of() {
    python3 - "$postgres" "$1" <<'PYTHON'
import sys, urllib.parse
parts = urllib.parse.urlsplit(sys.argv[1])
print(urllib.parse.urlunsplit(parts._replace(path="/" + sys.argv[2])))
PYTHON
}

# The server's CPU seconds so far.
server_cpu() {
    python3 "$scripts/postgres-cpu.py" "$postmaster"
}

# "statements rows index-entries" so far in database URL $1, tables of schema $2: pg_stat_statements'
# calls there (since the last reset, without this script's own queries), and the table and index
# counters. Waits until no other client is connected to that database (a backend flushes its
# counters when it exits) and two readings 0.25 s apart agree.
counters() {
    local url=$1 schema=$2 reading previous= tries
    for tries in $(seq 200); do
        [[ $(psql "$url" -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
            AND backend_type = 'client backend' AND pid <> pg_backend_pid()") == 0 ]] && break
        sleep 0.05
    done
    for tries in $(seq 40); do
        reading=$(psql "$url" -AtF ' ' -c "SELECT
            (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg\_stat%'),
            (SELECT coalesce(sum(seq_tup_read + coalesce(idx_tup_fetch, 0)), 0) FROM pg_stat_user_tables WHERE schemaname = '$schema'),
            (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE schemaname = '$schema')")
        [[ $reading == "$previous" ]] && break
        previous=$reading
        sleep 0.25
    done
    echo "$reading"
}

# Measures one drain in database URL $1, tables of schema $2, of system $3 at cell $4, started by
# the command after those (shifted off): appends "system cell jobs/s server-µs/job
# statements/job rows/job index-entries/job" to the results. With $5 `inside`, the command prints
# its own seconds; with `outside`, it is timed from its start to its exit.
measure() {
    local url=$1 schema=$2 system=$3 cell=$4 timing=$5 before after started ended read1 read2 seconds
    shift 5
    read1=$(counters "$url" "$schema")
    psql "$url" -Atc "SELECT pg_stat_statements_reset()" >/dev/null
    before=$(server_cpu)
    started=$(date +%s.%N)
    "$@" >"$work/drain.out"
    ended=$(date +%s.%N)
    after=$(server_cpu)
    read2=$(counters "$url" "$schema")
    case $timing in
    inside) seconds=$(cat "$work/drain.out") ;;
    *) seconds=$(python3 -c "print($ended - $started)") ;;
    esac
    python3 - "$system" "$cell" "$jobs" "$seconds" "$before" "$after" "$read1" "$read2" >>"$work/results" <<'PYTHON'
import sys
system, cell, jobs, seconds, before, after = sys.argv[1], sys.argv[2], int(sys.argv[3]), *map(float, sys.argv[4:7])
read1, read2 = ([int(value) for value in reading.split()] for reading in sys.argv[7:9])
# Statements were reset before the drain: read2's count is the drain's alone.
print(system, cell, jobs / seconds, (after - before) / jobs * 1e6, read2[0] / jobs, (read2[1] - read1[1]) / jobs, (read2[2] - read1[2]) / jobs)
PYTHON
}

# ANALYZE of the tables of schema $2 in database URL $1 after the enqueue: the drain plans with
# current statistics, not with whatever autovacuum happened to gather by then.
analyze() {
    psql "$1" -q -c "DO \$\$ DECLARE t record; BEGIN
        FOR t IN SELECT schemaname, relname FROM pg_stat_user_tables WHERE schemaname = '$2' LOOP
            EXECUTE format('ANALYZE %I.%I', t.schemaname, t.relname);
        END LOOP; END \$\$"
}

# JobQueue's drain, with the config of this run.
jobqueue_drain() {
    "$build/jobqueue" run --drain --config "$work/config.yaml" >/dev/null 2>>"$work/host.log"
}

python3 - "$work/jobs.jsonl" "$jobs" "$queues" <<'PYTHON'
import sys
path, jobs, queues = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as out:
    for i in range(jobs):
        out.write(f'{{"queue": "q{i % queues}", "topic": "noop", "payload": {{}}}}\n')
PYTHON

for run in $(seq "$runs"); do
    for cell in $cells; do
        batch=${cell%x*} concurrency=${cell#*x}

        # JobQueue: a fresh schema in URL's database.
        schema="jq_peer_$(date +%s%N)"
        cat >"$work/config.yaml" <<CONFIG
store: { url: "$postgres", schema: $schema }
log: { level: warning }
consumer: { batch_size: $batch, concurrency: $concurrency }
topics:
  noop: { plugin: $build/libNoopWorker.so }
CONFIG
        "$build/jobqueue" enqueue --config "$work/config.yaml" --file "$work/jobs.jsonl" >/dev/null
        analyze "$postgres" "$schema"
        measure "$postgres" "$schema" JobQueue "$cell" outside jobqueue_drain
        left=$("$build/jobqueue" status --json --config "$work/config.yaml" |
            python3 -c 'import json, sys; t = json.load(sys.stdin)["totals"]; print(sum(t[k] for k in ("ready", "scheduled", "leased", "dead")))')
        [[ $left == 0 ]] || { echo "$0: $left jobs left after JobQueue's drain (cell $cell)" >&2; exit 1; }
        psql "$postgres" -q -c "SET client_min_messages = warning" -c "DROP SCHEMA $schema CASCADE" >/dev/null
        schema=

        # pgqueuer: a fresh database on the same server.
        database="pgqueuer_peer_$(date +%s%N)"
        psql "$postgres" -q -c "CREATE DATABASE $database"
        url=$(url_of "$database")
        psql "$url" -q -c "CREATE EXTENSION pg_stat_statements"
        "$peer/.venv/bin/python" "$peer/drain.py" install "$url"
        "$peer/.venv/bin/python" "$peer/drain.py" enqueue "$url" "$jobs"
        analyze "$url" public
        measure "$url" public pgqueuer "$cell" inside "$peer/.venv/bin/python" "$peer/drain.py" drain "$url" "$jobs" "$batch" "$concurrency"
        left=$(psql "$url" -Atc "SELECT (SELECT count(*) FROM pgqueuer) || ' ' || (SELECT count(*) FROM pgqueuer_log WHERE status = 'successful')")
        [[ $left == "0 $jobs" ]] || { echo "$0: after pgqueuer's drain (cell $cell), jobs left and jobs logged successful: $left" >&2; exit 1; }
        psql "$postgres" -q -c "DROP DATABASE $database"
        database=
    done
    echo "run $run of $runs done" >&2
done

if grep -qiE 'error|critical' "$work/host.log"; then
    echo "$0: JobQueue's host logged errors:" >&2
    grep -iE 'error|critical' "$work/host.log" | head -5 >&2
    exit 1
fi

python3 - "$work/results" "$jobs" "$queues" <<'PYTHON'
import statistics, sys
cases = {}
for line in open(sys.argv[1]):
    system, cell, *figures = line.split()
    cases.setdefault((system, cell), []).append([float(figure) for figure in figures])
print(f"{sys.argv[2]} no-op jobs; JobQueue's over {sys.argv[3]} queues, pgqueuer's for one entrypoint; medians of {len(next(iter(cases.values())))} runs")
print(f"{'system':<8} {'batch×conc':>10} {'jobs/s':>8} {'server µs/job':>14} {'statements/job':>15} {'rows read/job':>14} {'index entries/job':>18}")
for (system, cell), figures in cases.items():
    rate, server, statements, rows, entries = (statistics.median(column) for column in zip(*figures))
    print(f"{system:<8} {cell:>10} {rate:8.0f} {server:14.1f} {statements:15.3f} {rows:14.2f} {entries:18.2f}")
# Each run drains both systems back to back, so their ratio in one run is the figure least moved by
# the machine's neighbours.
for cell in dict.fromkeys(cell for _, cell in cases):
    ratios = [ours[0] / theirs[0] for ours, theirs in zip(cases[("JobQueue", cell)], cases[("pgqueuer", cell)])]
    print(f"JobQueue ÷ pgqueuer, {cell}, run by run: {' / '.join(f'{ratio:.2f}' for ratio in ratios)} (median {statistics.median(ratios):.2f})")
PYTHON
