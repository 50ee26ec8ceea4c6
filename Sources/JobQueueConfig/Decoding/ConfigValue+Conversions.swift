import JobQueue

/// Typed readings of a value. Each fails with a one-line error naming the setting: a value of
/// the wrong kind says what was expected (`consumer.lease must be a duration like 30s or 1500ms,
/// got 'abc'`), one out of range says the range (`consumer.concurrency must be between 1 and
/// 1024, got 0`). The `…OrNone` variants also accept the word `none` and return nil for it.
extension ConfigValue {
    private static let durationExpectation = "a duration like 30s or 1500ms"
    private static let byteCountExpectation = "a size like 1MiB, 512KB or 1048576"

    func integer(_ bounds: Bounds<Int>) throws(ConfigError) -> Int {
        try read("an integer", allowsNone: false, bounds, format: String.init, parse: { Int($0) })!
    }

    func integerOrNone(_ bounds: Bounds<Int>) throws(ConfigError) -> Int? {
        try read("an integer", allowsNone: true, bounds, format: String.init, parse: { Int($0) })
    }

    /// A fraction or other real number; infinities and NaN are refused.
    func number(_ bounds: Bounds<Double>) throws(ConfigError) -> Double {
        try read("a number", allowsNone: false, bounds, format: Self.shortNumber, parse: { Double($0).flatMap { $0.isFinite ? $0 : nil } })!
    }

    func duration(_ bounds: Bounds<Duration>) throws(ConfigError) -> Duration {
        try read(Self.durationExpectation, allowsNone: false, bounds, format: \.text, parse: Duration.init(text:))!
    }

    func durationOrNone(_ bounds: Bounds<Duration>) throws(ConfigError) -> Duration? {
        try read(Self.durationExpectation, allowsNone: true, bounds, format: \.text, parse: Duration.init(text:))
    }

    /// A rate like `100/s`, `20/m`, `5000/h` or `10/5s` (a positive count per period), or `none`.
    func rateOrNone() throws(ConfigError) -> RateLimit? {
        let expected = "a rate like 100/s, 20/m or 5000/h, or none"
        guard let text = node.scalarText else { throw typeError(expected: expected) }
        if text == "none" { return nil }
        guard let rate = RateLimit(text: text) else { throw typeError(expected: expected) }
        return rate
    }

    func byteCount(_ bounds: Bounds<Int>) throws(ConfigError) -> Int {
        try read(Self.byteCountExpectation, allowsNone: false, bounds, format: ByteCount.format, parse: ByteCount.parse)!
    }

    func byteCountOrNone(_ bounds: Bounds<Int>) throws(ConfigError) -> Int? {
        try read(Self.byteCountExpectation, allowsNone: true, bounds, format: ByteCount.format, parse: ByteCount.parse)
    }

    /// `true`/`false`, also `yes`/`no` and `on`/`off`, in any letter case.
    func bool() throws(ConfigError) -> Bool {
        switch node.scalarText?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw typeError(expected: "true or false")
        }
    }

    /// Non-empty text, as written.
    func text() throws(ConfigError) -> String {
        guard let text = node.scalarText, !text.isEmpty, !node.isNull else { throw typeError(expected: "non-empty text") }
        return text
    }

    /// One of `choices`, spelled exactly.
    func choice(among choices: [String]) throws(ConfigError) -> String {
        guard let text = node.scalarText, choices.contains(text) else {
            throw typeError(expected: "one of \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// A case of a string-backed enumeration, by its raw value.
    func choice<Choice: RawRepresentable & CaseIterable>(of _: Choice.Type) throws(ConfigError) -> Choice
    where Choice.RawValue == String {
        Choice(rawValue: try choice(among: Choice.allCases.map(\.rawValue)))!
    }

    /// Reads a scalar with `parse` and checks it against `bounds`. Returns nil only for `none`
    /// when `allowsNone`.
    private func read<Value>(
        _ expectation: String, allowsNone: Bool, _ bounds: Bounds<Value>,
        format: (Value) -> String, parse: (String) -> Value?
    ) throws(ConfigError) -> Value? {
        let orNone = allowsNone ? " or none" : ""
        let expected = allowsNone ? expectation + ", or none" : expectation
        guard let text = node.scalarText else { throw typeError(expected: expected) }
        if allowsNone && text == "none" { return nil }
        guard let value = parse(text) else { throw typeError(expected: expected) }
        guard bounds.contains(value) else {
            throw error("\(field) must be \(bounds.describe(format))\(orNone), got \(text.oneLine)")
        }
        return value
    }

    /// `0`, `1`, `0.25`: without the `.0` Swift adds to whole numbers.
    private static func shortNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
