/// A mapping of the config file read as a group of settings (`consumer`, `defaults.backoff`,
/// one topic), checked against the keys the group allows.
///
/// Checking up front means a misspelt key is an error naming the nearest valid key, instead of
/// a setting silently left at its default.
struct ConfigSection {
    /// The section's own dotted name; empty for the top level of the file.
    let field: String
    private let values: [String: ConfigValue]

    /// Fails when `value` is neither a mapping nor null, or holds a key not in `allowedKeys`
    /// (the first such key in file order).
    init(_ value: ConfigValue, allowedKeys: [String]) throws(ConfigError) {
        field = value.field
        let what = value.field.isEmpty ? "a mapping of sections like 'store:' and 'topics:'" : "a mapping"
        var values: [String: ConfigValue] = [:]
        for (keyNode, valueNode) in try value.entries(expected: what) {
            let key = keyNode.scalarText ?? ""
            guard allowedKeys.contains(key) else {
                throw ConfigError(file: value.file, at: keyNode.mark, Self.unknownKeyMessage(key, in: value.field, allowedKeys: allowedKeys))
            }
            values[key] = value.child(valueNode, key: key)
        }
        self.values = values
    }

    /// A section with no values: what an absent section reads as.
    private init(field: String) {
        self.field = field
        self.values = [:]
    }

    /// The nested section `key`, read with the keys of `Keys`; empty when the file omits it.
    func section<Key: RawRepresentable, Keys: RawRepresentable & CaseIterable>(
        _ key: Key, of keys: Keys.Type
    ) throws(ConfigError) -> ConfigSection where Key.RawValue == String, Keys.RawValue == String {
        guard let value = self[key] else {
            return ConfigSection(field: field.isEmpty ? key.rawValue : "\(field).\(key.rawValue)")
        }
        return try value.section(of: keys)
    }

    /// The value of `key`, or nil when the file does not set it.
    subscript<Key: RawRepresentable>(key: Key) -> ConfigValue? where Key.RawValue == String {
        values[key.rawValue]
    }

    private static func unknownKeyMessage(_ key: String, in field: String, allowedKeys: [String]) -> String {
        let subject = field.isEmpty ? "unknown section \(key.quotedForMessage())" : "unknown key \(key.quotedForMessage()) in \(field)"
        if let suggestion = key.closestMatch(in: allowedKeys) {
            return "\(subject) (did you mean '\(suggestion)'?)"
        }
        return "\(subject) (expected one of: \(allowedKeys.joined(separator: ", ")))"
    }
}
