#!/usr/bin/env bash
# The demo: build the host and the example plugins, enqueue a handful of jobs, run the host on
# config.yaml until the queue is drained, and show what happened.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Building the host, the fork server and the example plugins"
scripts/install-deps.sh
swift build
jobqueue=.build/debug/jobqueue

rm -rf demo
mkdir -p demo/outbox demo/reports

step "Checking config.yaml and loading every plugin in a throwaway child"
"$jobqueue" check

step "Enqueueing scripts/demo-jobs.jsonl in one transaction (prints the job ids)"
"$jobqueue" enqueue --file scripts/demo-jobs.jsonl | tr '\n' ' '
echo
"$jobqueue" status

step "Running the host until the queue is drained (jobs run in forked children)"
"$jobqueue" run --drain

step "Status after the run"
"$jobqueue" status

step "Dead letters (an invalid address failed 3 times; a mail without recipient was discarded)"
"$jobqueue" dead list

step "What the plugins produced"
for file in demo/outbox/*.eml; do
    echo "--- $file"
    cat "$file"
done
echo "--- word counts (lines words bytes source), demo/reports/*.txt"
cat demo/reports/*.txt
