/// The allowed values of a numeric setting, and how an error message words them.
struct Bounds<Value: Comparable> {
    var lower: Value
    /// Nil: no upper limit.
    var upper: Value?

    static func between(_ lower: Value, _ upper: Value) -> Bounds { Bounds(lower: lower, upper: upper) }
    static func atLeast(_ lower: Value) -> Bounds { Bounds(lower: lower, upper: nil) }

    func contains(_ value: Value) -> Bool {
        value >= lower && upper.map { value <= $0 } ?? true
    }

    /// "between 1 and 1024" or "at least 16MiB", with each bound shown by `format`.
    func describe(_ format: (Value) -> String) -> String {
        guard let upper else { return "at least \(format(lower))" }
        return "between \(format(lower)) and \(format(upper))"
    }
}
