extension YAMLNode {
    /// The node as compact JSON, mapping keys in file order.
    ///
    /// Plain scalars that the YAML 1.2 core schema reads as null, booleans, integers or finite
    /// floats become JSON's null, booleans and numbers (exact, digit for digit); every other
    /// scalar, quoted ones included, becomes a JSON string.
    var json: String {
        var output = ""
        writeJSON(to: &output)
        return output
    }

    private func writeJSON(to output: inout String) {
        switch content {
        case .scalar(let text, .plain):
            switch PlainScalar(text) {
            case .null: output += "null"
            case .bool(let value): output += value ? "true" : "false"
            case .integer(let digits), .float(let digits): output += digits
            case .text: Self.writeJSONString(text, to: &output)
            }
        case .scalar(let text, .quoted):
            Self.writeJSONString(text, to: &output)
        case .sequence(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                item.writeJSON(to: &output)
            }
            output += "]"
        case .mapping(let entries):
            output += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { output += "," }
                Self.writeJSONString(entry.key.scalarText ?? "", to: &output)
                output += ":"
                entry.value.writeJSON(to: &output)
            }
            output += "}"
        }
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else (non-ASCII included) as is.
    private static func writeJSONString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
