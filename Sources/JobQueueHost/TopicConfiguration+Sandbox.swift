import Foundation
import JobQueue
import JobQueueConfig
import JobQueuePlugins

/// How a topic's `sandbox:` becomes what its fork server enforces, and how `check` describes it.
extension TopicConfiguration {
    /// The sandbox the topic's fork server enters: its `sandbox:` as written, plus, when reads
    /// are confined, what loading the plugin reads (its file, the system's libraries, the Swift
    /// runtime) and `/dev/null` (every batch's child opens it), and, when writes are confined,
    /// `/dev/null` too. Nil without `sandbox:`.
    public var effectiveSandbox: PluginSandbox? {
        guard var effective = sandbox else { return nil }
        effective.writable = effective.writable.map { $0 + ["/dev/null"] }
        effective.readable = effective.readable.map { $0 + Self.loadingPaths(plugin: plugin) + ["/dev/null"] }
        return effective
    }

    /// What `check` prints for the topic: always no new privileges, then what `sandbox:` adds.
    public var sandboxDescription: String {
        guard let sandbox = effectiveSandbox else { return "no new privileges" }
        var parts = ["no new privileges", sandbox.network ? "network as is" : "no network"]
        parts.append(sandbox.writable.map { "writes only to \($0.joined(separator: ", "))" } ?? "writes as its user may")
        parts.append(sandbox.readable.map { "reads only what it may write and \($0.joined(separator: ", "))" } ?? "reads as its user may")
        return parts.joined(separator: "; ")
    }

    /// What loading a plugin may read: its own file, the dynamic loader's cache and the library
    /// folders that exist here, and the Swift runtime a Swift plugin links: the one installed
    /// beside the fork server (`scripts/install.sh`), or the toolchain's this host runs with.
    private static func loadingPaths(plugin: String?) -> [String] {
        let libraries = ["/etc/ld.so.cache", "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib"]
        var paths = (plugin.map { [$0] } ?? []) + libraries.filter { access($0, F_OK) == 0 }
        for runtime in swiftRuntimeFolders where !paths.contains(where: { runtime == $0 || runtime.hasPrefix($0 + "/") }) {
            paths.append(runtime)
        }
        return paths
    }

    private static let swiftRuntimeFolders: [String] = {
        var folders: [String] = []
        if let server = try? ForkServer.locateExecutable(nil), let slash = server.lastIndex(of: "/") {
            let installed = server[..<slash] + "/" + ForkServer.swiftRuntimeFolder
            if access(installed, F_OK) == 0 { folders.append(installed) }
        }
        // Read to the end: String(contentsOfFile:) stops after the first page of a /proc file.
        let maps = String(decoding: FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        if let line = maps.split(separator: "\n").first(where: { $0.hasSuffix("/libswiftCore.so") }),
            let start = line.firstIndex(of: "/"), let slash = line.lastIndex(of: "/")
        {
            folders.append(String(line[start..<slash]))
        }
        return folders
    }()
}
