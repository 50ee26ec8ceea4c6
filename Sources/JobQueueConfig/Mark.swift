/// A position in the config file, 1-based like editors and compilers count: where a YAML node
/// starts, so errors and tools can point at it.
public struct Mark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    /// Counted in characters (Unicode scalars), not bytes.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`, the form used inside error messages.
    public var description: String { "\(line):\(column)" }
}
