#!/usr/bin/env bash
# Builds the DocC documentation of the JobQueue, JobQueuePostgres and JobQueueSDK modules (the
# SDK's is the plugin author's guide, with its tutorial) through swift-docc-plugin, into
# .build/docs/<Target>.doccarchive, and fails on any warning: DocC's (an unresolved ``link``, a
# malformed directive) and the compiler's while it builds the modules' symbol graphs.
#
#   scripts/docs.sh
#   swift package --disable-sandbox preview-documentation --target JobQueue   # to browse one
#   JOBQUEUE_SDK_DOCS=1 swift package --package-path JobQueuePluginSDK --disable-sandbox preview-documentation --target JobQueueSDK
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh   # GRDB needs libsqlite3-dev to build the symbol graphs

targets=(JobQueue JobQueuePostgres)
output=$PWD/.build/docs
arguments=()
for target in "${targets[@]}"; do arguments+=(--target "$target"); done

log=$(mktemp /tmp/jobqueue-docs.XXXXXX)
trap 'rm -f "$log"' EXIT

# --warnings-as-errors goes to `docc convert`: any DocC warning fails the command.
swift package --allow-writing-to-directory "$output" \
    generate-documentation "${arguments[@]}" --output-path "$output" --warnings-as-errors 2>&1 | tee "$log"
# The SDK is a package of its own (JobQueuePluginSDK/), which asks for swift-docc-plugin only
# when JOBQUEUE_SDK_DOCS is set.
JOBQUEUE_SDK_DOCS=1 swift package --package-path JobQueuePluginSDK --allow-writing-to-directory "$output" \
    generate-documentation --target JobQueueSDK --output-path "$output/JobQueueSDK.doccarchive" --warnings-as-errors 2>&1 | tee -a "$log"
targets+=(JobQueueSDK)

# Compiler warnings do not fail the build by themselves: count them here.
warnings=$(grep -cE '(^|[^a-z])(warning|error): ' "$log" || true)
if (( warnings > 0 )); then
    echo "docs: $warnings warning(s) or error(s); see above" >&2
    exit 1
fi
echo "docs: no warnings; archives in $output/ (${targets[*]})"
