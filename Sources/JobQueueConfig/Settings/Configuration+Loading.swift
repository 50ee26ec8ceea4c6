import Foundation

extension Configuration {
    /// Reads and validates the config file at `path`.
    ///
    /// Errors name the file as `path` was given (`config.yaml:7:16: …`), while the result's
    /// `file` is absolute and relative paths inside are resolved against the file's folder, not
    /// the current directory. A missing, unreadable, non-UTF-8 or over-1MiB file is refused
    /// with a one-line error too (`config.yaml: no such file`).
    public static func load(path: String) throws(ConfigError) -> Configuration {
        let text = try ConfigFile.contents(of: path)
        let absolutePath = path.resolvedPath(against: currentDirectory)
        var configuration = try parse(yaml: text, file: path, baseDirectory: folder(of: absolutePath))
        configuration.file = absolutePath
        return configuration
    }

    /// Validates a configuration given as text.
    ///
    /// - Parameters:
    ///   - file: the name errors carry, also stored as `Configuration.file`.
    ///   - baseDirectory: the folder relative paths (`store.path`, `plugin`) are resolved
    ///     against; itself relative to the current directory if not absolute.
    ///   - environment: where `store.url_env`, `store.password_env` and `http.token_env` are looked up.
    public static func parse(
        yaml: String, file: String = "<string>", baseDirectory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> Configuration {
        let document = try YAMLTreeBuilder.document(from: yaml, file: file)
        return try Configuration(
            document: document, file: file, baseDirectory: baseDirectory.resolvedPath(against: currentDirectory), environment: environment)
    }

    private static var currentDirectory: String { FileManager.default.currentDirectoryPath }

    private static func folder(of absolutePath: String) -> String {
        guard let slash = absolutePath.lastIndex(of: "/"), slash != absolutePath.startIndex else { return "/" }
        return String(absolutePath[..<slash])
    }
}
