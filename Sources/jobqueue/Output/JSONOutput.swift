import Foundation

/// Pretty, stable JSON on standard output for `--json` flags.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
