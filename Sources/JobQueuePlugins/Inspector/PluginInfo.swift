/// What `jobqueue plugin info` reports about a plugin file: read from the file (``ELFFile``), and
/// from loading it in a throwaway fork-server process that calls `jq_abi_version` only (never
/// `jq_init`, never in the host).
public struct PluginInfo: Sendable, Equatable {
    public var path: String
    /// What its `jq_abi_version` returned; nil when it was not loaded or exports none.
    public var abiVersion: ABIVersion?
    /// The ABI version this host speaks.
    public var hostVersion: ABIVersion?
    /// The `jq_` functions it exports.
    public var exports: [String]
    /// True when it is built from Swift (it calls the Swift runtime, or exports Swift symbols).
    public var isSwift: Bool
    /// Each library it needs, with the path it loaded from (nil: not found).
    public var dependencies: [(name: String, path: String?)]
    /// Threads the loading process had once the plugin was loaded (more than one: refused).
    public var threadsAfterLoading: Int?
    /// Why it could not be loaded, if it could not.
    public var loadError: String?

    /// The exports every plugin must have.
    public static let requiredExports = ["jq_abi_version", "jq_perform"]
    /// The exports a plugin may have.
    public static let optionalExports = ["jq_init", "jq_shutdown"]

    public static func == (a: PluginInfo, b: PluginInfo) -> Bool {
        a.path == b.path && a.abiVersion == b.abiVersion && a.hostVersion == b.hostVersion && a.exports == b.exports && a.isSwift == b.isSwift
            && a.dependencies.map(\.name) == b.dependencies.map(\.name) && a.dependencies.map(\.path) == b.dependencies.map(\.path)
            && a.threadsAfterLoading == b.threadsAfterLoading && a.loadError == b.loadError
    }

    /// What would make the host refuse it, one line each; empty when it would load (`jq_init`
    /// aside, which `jobqueue check` runs).
    public var problems: [String] {
        var problems: [String] = []
        if let loadError { problems.append(loadError) }
        for export in Self.requiredExports where !exports.contains(export) { problems.append("missing required export \(export)") }
        if let abiVersion, let hostVersion, abiVersion.major != hostVersion.major {
            problems.append("ABI \(abiVersion) is incompatible with this host's \(hostVersion) (major versions differ)")
        }
        if loadError == nil {
            for dependency in dependencies where dependency.path == nil { problems.append("needs \(dependency.name), which is not found") }
        }
        if let threads = threadsAfterLoading, threads > 1 { problems.append("loading it starts threads (\(threads) after loading)") }
        return problems
    }

    /// A plugin ABI version: major (must match the host's) and minor (features appended).
    public struct ABIVersion: Sendable, Equatable, CustomStringConvertible {
        public var major: UInt32
        public var minor: UInt32

        public init(_ packed: UInt32) {
            major = packed >> 16
            minor = packed & 0xffff
        }

        public var description: String { "\(major).\(minor)" }
    }
}
