#!/usr/bin/env bash
# The chaos run: jobs pushed through real hosts while hosts, fork servers and batch children are
# SIGKILLed at random moments, then checked: every job's effect recorded at least once, nothing
# left queued, leased or dead, duplicates reported (and bounded by what was in flight).
#
#   scripts/chaos.sh            # 10,000 jobs, 40 kills (a few minutes)
#   scripts/chaos.sh --quick    # 600 jobs, 6 kills: what CI runs as part of the test suite
#   scripts/chaos.sh --jobs N --kills K [--postgres]
#
# --postgres adds the multi-host run on PostgreSQL (three hosts, one SIGKILLed) with the same
# number of jobs, on a throwaway server started with scripts/postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=10000 kills=40 postgres=false
while (($#)); do
    case $1 in
    --quick) jobs=600 kills=6; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --postgres) postgres=true; shift ;;
    *) echo "usage: $0 [--quick] [--jobs N] [--kills K] [--postgres]" >&2; exit 64 ;;
    esac
done

swift build --build-tests >&2
filter=ChaosTests
if $postgres; then
    server=$(mktemp -d /tmp/jobqueue-chaos-postgres.XXXXXX)
    trap 'scripts/postgres.sh stop "$server"' EXIT
    JOBQUEUE_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$server")
    export JOBQUEUE_TEST_POSTGRES_URL
    filter="ChaosTests|MultiHostPostgresTests"
fi
JOBQUEUE_CHAOS_JOBS=$jobs JOBQUEUE_CHAOS_KILLS=$kills JOBQUEUE_MULTIHOST_JOBS=$jobs \
    swift test --skip-build --filter "$filter" 2>&1 | grep -E "^(chaos|multi-host)|✘|Test run with"
