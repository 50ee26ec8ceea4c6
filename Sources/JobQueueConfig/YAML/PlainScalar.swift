/// What a plain (unquoted) YAML scalar means under the YAML 1.2 core schema.
///
/// The 1.2 rules are used on purpose: `yes`, `no`, `on` and `off` stay text and `017` is
/// seventeen, so a plugin's settings do not change meaning the way YAML 1.1 is notorious for.
/// The numeric cases carry text already in JSON's syntax, exact to the last digit.
enum PlainScalar: Equatable {
    case null
    case bool(Bool)
    /// Canonical decimal digits of any length: `+007` → `7`, `0x1F` → `31`, `0o17` → `15`.
    case integer(String)
    /// A finite float in JSON's syntax: `.5` → `0.5`, `1.` → `1.0`, `+1e3` → `1e3`.
    case float(String)
    /// Anything else, including `.inf` and `.nan`, which JSON cannot represent.
    case text

    init(_ text: String) {
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .bool(true)
        case "false", "False", "FALSE": self = .bool(false)
        default: self = Self.number(text) ?? .text
        }
    }

    private static func number(_ text: String) -> PlainScalar? {
        if let digits = radixInteger(text, prefix: "0x", radix: 16) ?? radixInteger(text, prefix: "0o", radix: 8) {
            return .integer(digits)
        }
        var rest = Substring(text)
        var sign = ""
        if let first = rest.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            rest = rest.dropFirst()
        }
        let integerPart = rest.prefix(while: \.isASCIIDigit)
        rest = rest.dropFirst(integerPart.count)
        var fractionPart: Substring?
        if rest.first == "." {
            fractionPart = rest.dropFirst().prefix(while: \.isASCIIDigit)
            rest = rest.dropFirst(1 + fractionPart!.count)
        }
        var exponent = ""
        if let marker = rest.first, marker == "e" || marker == "E" {
            var body = rest.dropFirst()
            var exponentSign = ""
            if let first = body.first, first == "+" || first == "-" {
                exponentSign = String(first)
                body = body.dropFirst()
            }
            let digits = body.prefix(while: \.isASCIIDigit)
            guard !digits.isEmpty else { return nil }
            exponent = "e" + exponentSign + digits
            rest = body.dropFirst(digits.count)
        }
        guard rest.isEmpty, !integerPart.isEmpty || !(fractionPart ?? "").isEmpty else { return nil }

        let integerDigits = integerPart.drop { $0 == "0" }
        if fractionPart == nil && exponent.isEmpty {
            return integerDigits.isEmpty ? .integer("0") : .integer(sign + integerDigits)
        }
        let fraction = fractionPart.map { $0.isEmpty ? "0" : $0 }.map { "." + $0 } ?? ""
        return .float(sign + (integerDigits.isEmpty ? "0" : integerDigits) + fraction + exponent)
    }

    /// `0x…`/`0o…` as decimal digits, when it fits in 64 bits.
    private static func radixInteger(_ text: String, prefix: String, radix: Int) -> String? {
        guard text.hasPrefix(prefix), let value = UInt64(text.dropFirst(prefix.count), radix: radix) else { return nil }
        return String(value)
    }
}
