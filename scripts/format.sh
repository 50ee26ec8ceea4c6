#!/usr/bin/env bash
# Formats the Swift code with swift-format (part of the Swift 6 toolchain) and the rules in
# .swift-format at the repository root.
#
#   scripts/format.sh           # rewrites the files in place
#   scripts/format.sh --check   # changes nothing: prints each finding and fails if there is one (.ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

paths=(Package.swift Sources Tests Benchmarks Plugins)
case ${1:-} in
    "") exec swift format format --in-place --parallel --recursive "${paths[@]}" ;;
    --check) exec swift format lint --strict --parallel --recursive "${paths[@]}" ;;
    *)
        echo "usage: $0 [--check]" >&2
        exit 64
        ;;
esac
