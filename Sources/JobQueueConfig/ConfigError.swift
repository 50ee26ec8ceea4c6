/// Why a configuration could not be loaded, pointing at the offending spot of the file.
///
/// Its description is always one line in the compiler-style form `path:line:column: message`
/// (or `path: message` for problems with the file as a whole), so editors and terminals can link
/// to it and scripts can grep for it.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it (`"<string>"` for text parsed without a file).
    public var file: String
    /// 1-based; nil when the problem concerns the whole file (missing, unreadable, too large).
    public var line: Int?
    /// 1-based, in characters; nil exactly when `line` is.
    public var column: Int?
    /// What is wrong, in words meant for the person editing the file.
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// An error located at `mark`.
    public init(file: String, at mark: Mark, _ message: String) {
        self.init(file: file, line: mark.line, column: mark.column, message: message)
    }

    /// The location of the problem, when it has one.
    public var mark: Mark? {
        guard let line, let column else { return nil }
        return Mark(line: line, column: column)
    }

    public var description: String {
        let location = mark.map { "\(file):\($0)" } ?? file
        return "\(location): \(message)".oneLine
    }
}
