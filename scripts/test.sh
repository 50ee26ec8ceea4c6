#!/usr/bin/env bash
# The test command: installs what the build and the tests need, starts a throwaway PostgreSQL for
# the PostgreSQL store's tests (unless JOBQUEUE_TEST_POSTGRES_URL already names a server) and a
# Python with Selenium for the dashboard's browser test, schemathesis for the HTTP API's fuzz
# test and psycopg for the PostgreSQL enqueue function's test (unless JOBQUEUE_TEST_BROWSER_PYTHON and JOBQUEUE_TEST_SCHEMATHESIS name them; the browser is
# Debian's chromium), builds
# every product (the plugins and the fork server the tests load), installs them into a throwaway
# prefix with scripts/install.sh (unless JOBQUEUE_TEST_INSTALL_PREFIX names one) and runs every
# suite. Around them, two upkeep checks: the formatting first (swift format lint --strict, before
# anything is built) and, last, the documentation catalogs, built without a warning.
#
#   scripts/test.sh [ARGUMENTS FOR swift test…]     e.g. scripts/test.sh --filter PipelineTests
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/format.sh --check
scripts/install-deps.sh --tests

# What this script starts or makes is stopped and deleted however the tests end.
postgres_dir=
install_prefix=
browser_env=
cleanUp() {
    if [[ -n $postgres_dir ]]; then scripts/postgres.sh stop "$postgres_dir"; fi
    if [[ -n $install_prefix ]]; then rm -rf "$install_prefix"; fi
    if [[ -n $browser_env ]]; then rm -rf "$browser_env"; fi
}
trap cleanUp EXIT

if [[ -z ${JOBQUEUE_TEST_POSTGRES_URL:-} ]]; then
    postgres_dir=$(mktemp -d /tmp/jobqueue-test-postgres.XXXXXX)
    JOBQUEUE_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$postgres_dir")
    export JOBQUEUE_TEST_POSTGRES_URL
fi

if [[ -z ${JOBQUEUE_TEST_BROWSER_PYTHON:-} || -z ${JOBQUEUE_TEST_SCHEMATHESIS:-} ]]; then
    browser_env=$(mktemp -d /tmp/jobqueue-test-browser.XXXXXX)
    python3 -m venv "$browser_env"
    "$browser_env/bin/pip" install -q --disable-pip-version-check selenium==4.51.0 schemathesis==4.32.5 "psycopg[binary]==3.3.9"
    export JOBQUEUE_TEST_BROWSER_PYTHON=${JOBQUEUE_TEST_BROWSER_PYTHON:-$browser_env/bin/python}
    export JOBQUEUE_TEST_SCHEMATHESIS=${JOBQUEUE_TEST_SCHEMATHESIS:-$browser_env/bin/st}
fi

swift build
# The installed layout (scripts/install.sh, debug builds) for CLITests/InstalledHostTests.
if [[ -z ${JOBQUEUE_TEST_INSTALL_PREFIX:-} ]]; then
    install_prefix=$(mktemp -d /tmp/jobqueue-test-install.XXXXXX)
    scripts/install.sh --debug --no-user "$install_prefix" >/dev/null
    export JOBQUEUE_TEST_INSTALL_PREFIX=$install_prefix
fi
swift test "$@"
scripts/docs.sh
