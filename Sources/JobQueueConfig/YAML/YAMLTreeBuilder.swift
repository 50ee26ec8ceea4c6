/// Turns a YAML text into one `YAMLNode` tree, enforcing the rules that make a config file
/// unambiguous and safe to load even when it comes from someone else:
///
/// - one document, whose nodes nest at most `Limits.nestingDepth` collections deep;
/// - unique keys in every mapping, and only text as keys;
/// - aliases expanded as copies, but at most `Limits.aliasExpansionNodes` nodes created that way
///   in total, which defuses "billion laughs" files that are tiny but expand exponentially;
/// - no merge keys (`<<`), whose override rules surprise people, and no tags but `!!str`.
struct YAMLTreeBuilder {
    struct Limits {
        var aliasExpansionNodes = 10_000
        var nestingDepth = 64
    }

    /// The document's root node; nil when the text holds no document at all (empty or only
    /// comments).
    static func document(from text: String, file: String, limits: Limits = Limits()) throws(ConfigError) -> YAMLNode? {
        var builder = YAMLTreeBuilder(file: file, limits: limits)
        let reader = YAMLEventReader(text: text, file: file)
        while true {
            let event = try reader.next()
            if case .streamEnd = event.kind { return builder.root }
            try builder.handle(event)
        }
    }

    /// A node with what the limits need to know about it.
    private struct Subtree {
        var node: YAMLNode
        /// Nodes in the tree, the root included.
        var size: Int
        /// Collections on the longest path down: 0 for a scalar.
        var depth: Int
    }

    /// A mapping or sequence whose end event has not come yet.
    private struct OpenCollection {
        var mark: Mark
        var anchor: String?
        var isMapping: Bool
        var items: [YAMLNode] = []
        var entries: [(key: YAMLNode, value: YAMLNode)] = []
        /// A mapping's key still waiting for its value.
        var pendingKey: YAMLNode?
        /// Where each key of a mapping was first seen, to report duplicates.
        var keyMarks: [String: Mark] = [:]
        var size = 1
        var depth = 1
    }

    private let file: String
    private let limits: Limits
    private var root: YAMLNode?
    private var documentCount = 0
    private var open: [OpenCollection] = []
    private var anchors: [String: Subtree] = [:]
    private var aliasExpansionNodes = 0

    private init(file: String, limits: Limits) {
        self.file = file
        self.limits = limits
    }

    private mutating func handle(_ event: YAMLEvent) throws(ConfigError) {
        switch event.kind {
        case .streamStart, .streamEnd, .documentEnd:
            break
        case .documentStart:
            documentCount += 1
            guard documentCount == 1 else {
                throw error(at: event.mark, "a config file holds a single YAML document; remove the second '---'")
            }
        case .scalar(let text, let style, let anchor, let tag):
            let style = try scalarStyle(style, tag: tag, at: event.mark)
            try add(Subtree(node: YAMLNode(.scalar(text, style: style), at: event.mark), size: 1, depth: 0), anchor: anchor)
        case .alias(let name):
            try expandAlias(name, at: event.mark)
        case .sequenceStart(let anchor, let tag):
            try openCollection(isMapping: false, anchor: anchor, tag: tag, at: event.mark)
        case .mappingStart(let anchor, let tag):
            try openCollection(isMapping: true, anchor: anchor, tag: tag, at: event.mark)
        case .sequenceEnd, .mappingEnd:
            let collection = open.removeLast()
            let content: YAMLNode.Content = collection.isMapping ? .mapping(collection.entries) : .sequence(collection.items)
            let subtree = Subtree(node: YAMLNode(content, at: collection.mark), size: collection.size, depth: collection.depth)
            try add(subtree, anchor: collection.anchor)
        }
    }

    private mutating func openCollection(isMapping: Bool, anchor: String?, tag: String?, at mark: Mark) throws(ConfigError) {
        if let tag, tag != (isMapping ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq") {
            throw unsupportedTag(tag, at: mark)
        }
        guard open.count < limits.nestingDepth else { throw tooDeep(at: mark) }
        open.append(OpenCollection(mark: mark, anchor: anchor, isMapping: isMapping))
    }

    private mutating func expandAlias(_ name: String, at mark: Mark) throws(ConfigError) {
        guard var subtree = anchors[name] else {
            if open.contains(where: { $0.anchor == name }) {
                throw error(at: mark, "alias '*\(name)' refers to a node that contains it; recursive aliases are not supported")
            }
            throw error(at: mark, "unknown alias '*\(name)'; an anchor '&\(name)' must come before it")
        }
        aliasExpansionNodes += subtree.size
        guard aliasExpansionNodes <= limits.aliasExpansionNodes else {
            throw error(at: mark, "alias expansion exceeds \(limits.aliasExpansionNodes) nodes (billion laughs?)")
        }
        guard open.count + subtree.depth <= limits.nestingDepth else { throw tooDeep(at: mark) }
        subtree.node.mark = mark
        try add(subtree, anchor: nil)
    }

    /// Records a finished node under its anchor and hands it to its parent (or makes it the root).
    private mutating func add(_ subtree: Subtree, anchor: String?) throws(ConfigError) {
        if let anchor { anchors[anchor] = subtree }
        guard var parent = open.popLast() else {
            root = subtree.node
            return
        }
        parent.size += subtree.size
        parent.depth = max(parent.depth, subtree.depth + 1)
        if !parent.isMapping {
            parent.items.append(subtree.node)
        } else if let key = parent.pendingKey {
            parent.entries.append((key: key, value: subtree.node))
            parent.pendingKey = nil
        } else {
            try checkKey(subtree.node, firstSeen: &parent.keyMarks)
            parent.pendingKey = subtree.node
        }
        open.append(parent)
    }

    private func checkKey(_ key: YAMLNode, firstSeen: inout [String: Mark]) throws(ConfigError) {
        guard case .scalar(let text, let style) = key.content else {
            throw error(at: key.mark, "a mapping key must be text, not \(key.summary)")
        }
        if text == "<<" && style == .plain {
            throw error(at: key.mark, "merge keys ('<<') are not supported; write the keys out, or use an alias for the whole value")
        }
        if let first = firstSeen[text] {
            throw error(at: key.mark, "duplicate key \(text.quotedForMessage()) (first at line \(first.line))")
        }
        firstSeen[text] = key.mark
    }

    /// `!!str` (or the non-specific `!`) makes a plain scalar text; other tags are refused
    /// rather than half-supported.
    private func scalarStyle(_ style: YAMLNode.ScalarStyle, tag: String?, at mark: Mark) throws(ConfigError) -> YAMLNode.ScalarStyle {
        switch tag {
        case nil: return style
        case "tag:yaml.org,2002:str", "!": return .quoted
        case let tag?: throw unsupportedTag(tag, at: mark)
        }
    }

    private func unsupportedTag(_ tag: String, at mark: Mark) -> ConfigError {
        let corePrefix = "tag:yaml.org,2002:"
        let shown = tag.hasPrefix(corePrefix) ? "!!" + tag.dropFirst(corePrefix.count) : tag
        return error(at: mark, "unsupported tag \(shown.quotedForMessage()); only !!str is supported")
    }

    private func tooDeep(at mark: Mark) -> ConfigError {
        error(at: mark, "nesting is deeper than \(limits.nestingDepth) levels")
    }

    private func error(at mark: Mark, _ message: String) -> ConfigError {
        ConfigError(file: file, at: mark, message)
    }
}
