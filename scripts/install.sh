#!/usr/bin/env bash
# Installs JobQueue for production use from this checkout: release builds, laid out so that the
# host runs on a machine without Swift.
#
#   scripts/install.sh [--debug] [--no-user] [PREFIX]        PREFIX defaults to /usr/local
#
# PREFIX/bin/jobqueue                          the host and CLI, the Swift standard library linked in
# PREFIX/libexec/jobqueue/jobqueue-forkserver  the fork server the host spawns (found from bin/)
# PREFIX/libexec/jobqueue/swift-runtime/       the Swift runtime the fork server and Swift plugins
#                                              share (a Swift plugin must be built with this Swift)
# PREFIX/lib/jobqueue/plugins/                 the example plugins
# PREFIX/include/jobqueue_plugin.h             the plugin ABI, for C plugin authors
# PREFIX/share/jobqueue/JobQueuePluginSDK/     the SDK package, for Swift plugin authors (and the ABI
#                                              in Rust, Rust/jobqueue_plugin.rs; `plugin new` uses it)
# PREFIX/lib/systemd/system/jobqueue.service   the service; see docs/operations.md
# PREFIX/share/jobqueue/config.example.yaml    a config for the service, to copy to /etc/jobqueue/
# PREFIX/share/doc/jobqueue/                   README.md, operations.md, Plugins/README.md
#
# Run as root, it also creates the system user `jobqueue` the service runs as, if missing
# (not with --no-user). At run time the host needs libsqlite3 and libyaml (Debian: libsqlite3-0,
# libyaml-0-2). --debug installs debug builds (quicker to build; scripts/test.sh tests with them).
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=release
create_user=yes
prefix=/usr/local
for argument in "$@"; do
    case $argument in
    --debug) configuration=debug ;;
    --no-user) create_user=no ;;
    -*)
        echo "usage: $0 [--debug] [--no-user] [PREFIX]" >&2
        exit 64
        ;;
    *) prefix=$argument ;;
    esac
done
case $prefix in
/*) ;;
*) prefix=$PWD/$prefix ;;
esac

# The host links the Swift standard library statically, which is safe only because it never loads
# a plugin; it gets a scratch folder of its own, since the flag changes every product's link.
swift build -c "$configuration" --static-swift-stdlib --product jobqueue --scratch-path .build/install-static
static_bin=$(swift build -c "$configuration" --static-swift-stdlib --scratch-path .build/install-static --show-bin-path)
# The fork server and the plugins link the runtime dynamically: they must share one (see
# Plugins/README.md). `swift build` builds every product.
swift build -c "$configuration"
bin=$(swift build -c "$configuration" --show-bin-path)

runtime=$(dirname "$(ldd "$bin/jobqueue-forkserver" | awk '/libswiftCore.so/ { print $3 }')")
if [[ ! -f $runtime/libswiftCore.so ]]; then
    echo "$0: cannot find the Swift runtime the fork server links (ldd $bin/jobqueue-forkserver)" >&2
    exit 1
fi

install -d -m 0755 "$prefix/bin" "$prefix/libexec/jobqueue/swift-runtime" "$prefix/lib/jobqueue/plugins" \
    "$prefix/include" "$prefix/lib/systemd/system" "$prefix/share/jobqueue" "$prefix/share/doc/jobqueue"
install -m 0755 "$static_bin/jobqueue" "$prefix/bin/jobqueue"
# Without its debug information (160 MB → 105 MB); symbols stay, for readable crash backtraces.
if [[ $configuration == release ]]; then strip --strip-debug "$prefix/bin/jobqueue"; fi
install -m 0755 "$bin/jobqueue-forkserver" "$prefix/libexec/jobqueue/jobqueue-forkserver"
# The runtime, without what only tests and debuggers use.
for library in "$runtime"/*.so; do
    case $(basename "$library") in
    libXCTest.so | libTesting.so | lib_Testing*.so | lib_TestingInterop.so | libswiftRemoteMirror.so | lib_InternalSwiftStaticMirror.so) ;;
    *) install -m 0644 "$library" "$prefix/libexec/jobqueue/swift-runtime/" ;;
    esac
done
# Swift plugins must be built with this Swift release: say which it is.
swift_version=$(swift --version 2>/dev/null)
grep -m 1 'Swift version' <<<"$swift_version" >"$prefix/libexec/jobqueue/swift-runtime/SWIFT_VERSION"
chmod 0644 "$prefix/libexec/jobqueue/swift-runtime/SWIFT_VERSION"
for plugin in NoopWorker WordCountWorker EmailWorker; do
    install -m 0755 "$bin/lib$plugin.so" "$prefix/lib/jobqueue/plugins/"
done
install -m 0644 JobQueuePluginSDK/Sources/CJobQueuePlugin/include/jobqueue_plugin.h "$prefix/include/"
rm -rf "$prefix/share/jobqueue/JobQueuePluginSDK"
install -d -m 0755 "$prefix/share/jobqueue/JobQueuePluginSDK"
cp -R JobQueuePluginSDK/Package.swift JobQueuePluginSDK/Sources JobQueuePluginSDK/Rust "$prefix/share/jobqueue/JobQueuePluginSDK/"
sed "s|@PREFIX@|$prefix|g" packaging/jobqueue.service >"$prefix/lib/systemd/system/jobqueue.service"
sed "s|@PREFIX@|$prefix|g" packaging/config.example.yaml >"$prefix/share/jobqueue/config.example.yaml"
chmod 0644 "$prefix/lib/systemd/system/jobqueue.service" "$prefix/share/jobqueue/config.example.yaml"
install -m 0644 README.md docs/operations.md "$prefix/share/doc/jobqueue/"
install -m 0644 Plugins/README.md "$prefix/share/doc/jobqueue/plugins.md"

if [[ $create_user == yes && $(id -u) == 0 ]] && ! getent passwd jobqueue >/dev/null && command -v useradd >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/jobqueue --no-create-home --shell /usr/sbin/nologin jobqueue
    echo "created the system user jobqueue"
fi

echo "installed jobqueue $("$prefix/bin/jobqueue" --version) into $prefix"
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]]; then
    echo "next: cp $prefix/share/jobqueue/config.example.yaml /etc/jobqueue/config.yaml, edit it, then"
    echo "      systemctl daemon-reload && systemctl enable --now jobqueue   (docs/operations.md)"
fi
