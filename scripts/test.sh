#!/usr/bin/env bash
# The test command: installs what the build and the tests need, starts a throwaway PostgreSQL for
# the PostgreSQL store's tests (unless JOBQUEUE_TEST_POSTGRES_URL already names a server), builds
# every product (the plugins and the fork server the tests load) and runs every suite. Around
# them, two upkeep checks: the formatting first (swift format lint --strict, before anything is
# built) and, last, the documentation catalogs, built without a warning.
#
#   scripts/test.sh [ARGUMENTS FOR swift test…]     e.g. scripts/test.sh --filter PipelineTests
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/format.sh --check
scripts/install-deps.sh --tests

if [[ -z ${JOBQUEUE_TEST_POSTGRES_URL:-} ]]; then
    postgres_dir=$(mktemp -d /tmp/jobqueue-test-postgres.XXXXXX)
    # Stopped, and its files deleted, however the tests end.
    trap 'scripts/postgres.sh stop "$postgres_dir"' EXIT
    JOBQUEUE_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$postgres_dir")
    export JOBQUEUE_TEST_POSTGRES_URL
fi

swift build
swift test "$@"
scripts/docs.sh
