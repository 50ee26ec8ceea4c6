extension String {
    /// This path made absolute against `directory` (an absolute path), with `.`, `..` and
    /// repeated slashes removed lexically, the way a config file's relative paths are meant:
    /// relative to the file, whichever directory the program was started in.
    ///
    /// Symbolic links are not followed, so the result is what the user wrote, made absolute.
    func resolvedPath(against directory: String) -> String {
        let joined = hasPrefix("/") ? self : directory + "/" + self
        var components: [Substring] = []
        for component in joined.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }
}
