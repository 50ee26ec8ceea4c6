import Testing

@testable import JobQueue
@testable import JobQueueConfig

/// Every key the loader knows, generated from its key enums (so a new key is covered the day it
/// is added), given values of the wrong kind: each must be refused with one line that names the
/// file, line, column and the dotted field.
@Suite struct ConfigKeyMatrixTests {
    /// A key's place in the file: the mapping path leading to it and its name.
    struct Setting: CustomTestStringConvertible, Sendable {
        var path: [String]
        var key: String
        var field: String { (path + [key]).joined(separator: ".") }
        var testDescription: String { field }

        /// The YAML setting only this key (a topic also names a plugin, as it must).
        func yaml(_ value: String) -> String {
            var lines: [String] = []
            for (depth, name) in path.enumerated() {
                lines.append(String(repeating: "  ", count: depth) + name + ":")
                if depth == 1 && path.first == "topics" && key != "plugin" { lines.append("    plugin: plugin.so") }
            }
            lines.append(String(repeating: "  ", count: path.count) + key + ": " + value)
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func keys<Key: RawRepresentable & CaseIterable>(_ path: [String], _ type: Key.Type) -> [Setting] where Key.RawValue == String {
        Key.allCases.map { Setting(path: path, key: $0.rawValue) }
    }

    /// Every scalar setting of the file. Sections themselves (`backoff`, `limits`) are listed too.
    static let settings: [Setting] =
        keys(["store"], StoreConfiguration.ConfigKey.self)
        + keys(["consumer"], ConsumerSettings.ConfigKey.self)
        + keys(["defaults"], TopicPolicy.ConfigKey.self)
        + keys(["defaults", "backoff"], BackoffPolicy.ConfigKey.self)
        + keys(["children"], ChildConfiguration.ConfigKey.self)
        + keys(["children", "limits"], ChildConfiguration.ResourceLimits.ConfigKey.self)
        + keys(["log"], LogConfiguration.ConfigKey.self)
        + keys(["topics", "t"], TopicConfiguration.ConfigKey.self)
        + keys(["topics", "t"], TopicPolicy.ConfigKey.self)
        + keys(["topics", "t", "backoff"], BackoffPolicy.ConfigKey.self)
        + keys(["topics", "t", "sandbox"], PluginSandbox.ConfigKey.self)

    /// Settings whose value is itself a mapping.
    static let mappings: Set<String> = ["defaults.backoff", "children.limits", "topics.t.backoff", "topics.t.config", "topics.t.sandbox"]
    /// Settings whose value is a list.
    static let lists: Set<String> = ["topics.t.sandbox.writable", "topics.t.sandbox.readable"]
    /// Settings whose value is free text (any word is a valid value).
    static let texts: Set<String> = [
        "store.path", "store.url", "store.url_env", "store.password_env", "topics.t.plugin", "topics.t.user", "children.user",
    ]

    static func expectRefusal(_ setting: Setting, _ value: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let message = parseErrorDescription(setting.yaml(value), sourceLocation: sourceLocation) else { return }
        #expect(message.hasPrefix("config.yaml:"), "\(message)", sourceLocation: sourceLocation)
        #expect(message.contains(setting.field), "\(setting.field) = \(value): \(message)", sourceLocation: sourceLocation)
        #expect(!message.contains("\n"), sourceLocation: sourceLocation)
    }

    @Test(arguments: settings.filter { !lists.contains($0.field) })
    func aListIsRefusedEverywhere(setting: Setting) {
        Self.expectRefusal(setting, "[1, 2]")
    }

    @Test(arguments: settings.filter { !mappings.contains($0.field) })
    func aMappingIsRefusedWhereAValueBelongs(setting: Setting) {
        Self.expectRefusal(setting, "{ nested: 1 }")
    }

    @Test(arguments: settings.filter { !mappings.contains($0.field) && !texts.contains($0.field) })
    func aWordIsRefusedWhereANumberDurationOrChoiceBelongs(setting: Setting) {
        Self.expectRefusal(setting, "bogus")
    }

    @Test(arguments: settings.filter { !mappings.contains($0.field) && !texts.contains($0.field) && $0.field != "topics.t.config" })
    func anAbsurdNumberIsRefused(setting: Setting) {
        // Out of range for every numeric setting, and not a valid word for the others.
        Self.expectRefusal(setting, "-99999999999999999999")
    }
}
