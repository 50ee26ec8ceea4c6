/// One value of the config file together with its dotted name (`consumer.lease`), so that every
/// conversion can fail with a message that names the setting and points at the value.
struct ConfigValue {
    let node: YAMLNode
    /// The setting's dotted name, e.g. `defaults.backoff.base` or `topics.email:send.timeout`.
    let field: String
    /// The file name errors carry.
    let file: String

    /// An error at this value's position.
    func error(_ message: String) -> ConfigError {
        ConfigError(file: file, at: node.mark, message)
    }

    /// The error for a value of the wrong kind: "`field` must be `expectation`, got 'abc'".
    func typeError(expected expectation: String) -> ConfigError {
        error("\(field.isEmpty ? "the configuration" : field) must be \(expectation), got \(node.summary)")
    }

    /// The value read as the mapping of settings named by `Key`, unknown keys rejected. A null
    /// value (`consumer:` with nothing after it) is an empty section.
    func section<Key: RawRepresentable & CaseIterable>(of _: Key.Type) throws(ConfigError) -> ConfigSection
    where Key.RawValue == String {
        try ConfigSection(self, allowedKeys: Key.allCases.map(\.rawValue))
    }

    /// The entries of a mapping whose keys are names rather than settings (`topics`), in file
    /// order; none for a null value.
    func entries(expected expectation: String) throws(ConfigError) -> [(key: YAMLNode, value: YAMLNode)] {
        if node.isNull { return [] }
        guard case .mapping(let entries) = node.content else { throw typeError(expected: expectation) }
        return entries
    }

    /// A value further down, named `key` under this one.
    func child(_ node: YAMLNode, key: String) -> ConfigValue {
        ConfigValue(node: node, field: field.isEmpty ? key : "\(field).\(key)", file: file)
    }
}
