/// Thrown when some plugins could not be loaded; lists each failure with its one-line reason.
public struct PluginLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var failures: [PluginLoadResult]

    public init(failures: [PluginLoadResult]) { self.failures = failures }

    public var description: String {
        "cannot load plugins: " + failures.map(\.description).joined(separator: "; ")
    }
}
