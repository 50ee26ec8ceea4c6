import JobQueue

extension PluginSandbox {
    enum ConfigKey: String, CaseIterable {
        case network, writable, readable
        case landlockABI = "landlock_abi"
    }

    /// Reads a topic's `sandbox:`; relative paths are resolved against `baseDirectory`.
    init(reading section: ConfigSection, baseDirectory: String) throws(ConfigError) {
        typealias Key = ConfigKey
        self.init()
        network = try section[Key.network]?.bool() ?? network
        writable = try section[Key.writable]?.paths(resolvedAgainst: baseDirectory)
        readable = try section[Key.readable]?.paths(resolvedAgainst: baseDirectory)
        landlockABI = try section[Key.landlockABI]?.integer(.between(1, 1000)) ?? landlockABI
    }
}

extension ConfigValue {
    /// A list of paths, each made absolute against `directory`.
    fileprivate func paths(resolvedAgainst directory: String) throws(ConfigError) -> [String] {
        let expectation = "a list of paths, like [/var/lib/thumbs]"
        guard case .sequence(let items) = node.content else { throw typeError(expected: expectation) }
        var paths: [String] = []
        for item in items {
            guard let text = item.scalarText, !text.isEmpty, !item.isNull else {
                throw ConfigError(file: file, at: item.mark, "\(field) must be \(expectation), got \(item.summary)")
            }
            guard !text.contains(where: { $0.isNewline || $0 == "\0" }) else {
                throw ConfigError(file: file, at: item.mark, "\(field): a path must not contain a line break or a NUL")
            }
            paths.append(text.resolvedPath(against: directory))
        }
        return paths
    }
}
