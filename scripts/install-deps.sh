#!/usr/bin/env bash
# Installs the Debian packages JobQueue needs when they are missing: the one place that lists them
# (scripts/demo.sh, scripts/test.sh and so .ci/run call it).
#
#   scripts/install-deps.sh            # what building needs: libyaml-dev, libsqlite3-dev
#   scripts/install-deps.sh --tests    # and what the tests need: postgresql (a throwaway server),
#                                      # chromium and chromium-driver (the dashboard's browser test),
#                                      # beanstalkd (the peer benchmark's smoke test) and rustc (the
#                                      # Rust plugin's test) unless one is installed
#
# Uses apt-get as root, or through sudo; without either it names the missing packages and fails.
set -euo pipefail

packages=(libyaml-dev libsqlite3-dev)
case ${1:-} in
"") ;;
--tests)
    packages+=(postgresql chromium chromium-driver beanstalkd)
    # Any Rust compiler will do: rustup's (in ~/.cargo/bin) or Debian's.
    command -v rustc >/dev/null || [[ -x ${HOME:-}/.cargo/bin/rustc ]] || packages+=(rustc)
    ;;
*) echo "usage: $0 [--tests]" >&2; exit 64 ;;
esac

missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
((${#missing[@]})) || exit 0

if [[ $(id -u) == 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "$0: missing Debian packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
    exit 1
fi
echo "installing ${missing[*]}…" >&2
"${as_root[@]}" apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q "${missing[@]}" >&2
