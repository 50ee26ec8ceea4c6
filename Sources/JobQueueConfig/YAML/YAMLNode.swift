/// One node of a parsed YAML document, with the position where it starts.
///
/// Deliberately small: the configuration only needs text, mappings in file order and lists.
/// Aliases are already expanded (a node reached through `*name` is a copy of the anchored one,
/// marked at the alias) and tags other than `!!str` are rejected, so consumers never see either.
struct YAMLNode: Sendable, Equatable {
    /// How a scalar was written. Only plain scalars are candidates for numbers, booleans and
    /// null; anything quoted (or a `|`/`>` block) is text, whatever it looks like.
    enum ScalarStyle: Sendable, Equatable {
        case plain
        case quoted
    }

    enum Content: Sendable {
        case scalar(String, style: ScalarStyle)
        /// Keys are scalars, unique, in file order.
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    var content: Content
    var mark: Mark

    init(_ content: Content, at mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// The text of a scalar; nil for a mapping or a sequence.
    var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// A plain `~`, `null` or nothing at all, as in `store:` with no value.
    var isNull: Bool {
        if case .scalar(let text, .plain) = content { return PlainScalar(text) == .null }
        return false
    }

    /// "a mapping", "a list", or the quoted text: how error messages describe what they found.
    var summary: String {
        switch content {
        case .scalar(let text, _): text.isEmpty ? "an empty value" : text.quotedForMessage()
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        guard lhs.mark == rhs.mark else { return false }
        switch (lhs.content, rhs.content) {
        case let (.scalar(left, leftStyle), .scalar(right, rightStyle)):
            return left == right && leftStyle == rightStyle
        case let (.sequence(left), .sequence(right)):
            return left == right
        case let (.mapping(left), .mapping(right)):
            return left.count == right.count
                && zip(left, right).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default:
            return false
        }
    }
}
