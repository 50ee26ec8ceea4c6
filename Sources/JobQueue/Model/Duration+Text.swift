// The text forms of durations and byte sizes that people type into config files and command
// lines: `30s`, `1500ms`, `5m`, `1MiB`, `512KB`.
//
// Both parse exactly: a decimal like `1.5s` is accepted only when it names a whole number of the
// smallest unit (milliseconds, bytes), so nothing is rounded behind the user's back.

extension Duration {
    /// Parses a non-negative number followed by a unit: `ms`, `s`, `m`, `h` or `d`
    /// (`1500ms`, `90s`, `1.5s`, `5m`, `1h`).
    ///
    /// Nil for a missing unit (`30`), a sign (`-5s`), spaces, a value that is not a whole number
    /// of milliseconds (`0.5ms`), or one too large to represent.
    public init?(text: String) {
        guard let quantity = DecimalQuantity(text),
            let unit = DurationUnit.all.first(where: { $0.symbol == quantity.unit }),
            let milliseconds = quantity.exactValue(times: unit.milliseconds)
        else { return nil }
        self = .milliseconds(milliseconds)
    }

    /// The shortest exact text form: a whole number of the largest unit that divides the duration
    /// (`30s`, `1500ms`, `1h`, `0s`). `Duration(text:)` reads it back.
    ///
    /// Durations finer than a millisecond have no exact form; they are shown as approximate
    /// decimal milliseconds (`0.25ms`), which `Duration(text:)` does not accept.
    public var text: String {
        let (seconds, attoseconds) = components
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let (secondsAsMilliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow, attoseconds % attosecondsPerMillisecond == 0 else {
            let approximate = Double(seconds) * 1000 + Double(attoseconds) / Double(attosecondsPerMillisecond)
            return "\(approximate)ms"
        }
        let milliseconds = secondsAsMilliseconds + attoseconds / attosecondsPerMillisecond
        if milliseconds == 0 { return "0s" }
        let unit = DurationUnit.all.first { milliseconds % $0.milliseconds == 0 }!
        return "\(milliseconds / unit.milliseconds)\(unit.symbol)"
    }
}

/// Byte sizes as text: a plain number of bytes (`1048576`) or a number with a unit, decimal
/// (`B`, `KB`, `MB`, `GB`: powers of 1000) or binary (`KiB`, `MiB`, `GiB`: powers of 1024).
public enum ByteCount {
    /// Parses `4096`, `512B`, `64KB`, `1MiB`, `1.5GiB`; nil for anything else, including negative
    /// sizes, lower-case units (`1mb` is ambiguous) and values that are not whole bytes.
    public static func parse(_ text: String) -> Int? {
        guard let quantity = DecimalQuantity(text) else { return nil }
        let multiplier: Int64
        if quantity.unit.isEmpty {
            multiplier = 1
        } else if let unit = units.first(where: { $0.symbol == quantity.unit }) {
            multiplier = Int64(unit.bytes)
        } else {
            return nil
        }
        return quantity.exactValue(times: multiplier).flatMap { Int(exactly: $0) }
    }

    /// The shortest exact form with a unit: `1MiB`, `1MB`, `1500B`, `0B`. Binary units win ties.
    /// `parse` reads it back (negative counts excepted).
    public static func format(_ bytes: Int) -> String {
        var best = "\(bytes)B"
        guard bytes != 0 else { return best }
        for unit in units where bytes % unit.bytes == 0 {
            let candidate = "\(bytes / unit.bytes)\(unit.symbol)"
            if candidate.utf8.count < best.utf8.count { best = candidate }
        }
        return best
    }

    /// Largest first, binary before decimal, so ties in `format` go to binary units.
    private static let units: [(symbol: String, bytes: Int)] = [
        ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
        ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1000), ("B", 1),
    ]
}

/// A duration unit with its size in milliseconds, largest first.
private struct DurationUnit {
    var symbol: String
    var milliseconds: Int64

    static let all = [
        DurationUnit(symbol: "d", milliseconds: 86_400_000),
        DurationUnit(symbol: "h", milliseconds: 3_600_000),
        DurationUnit(symbol: "m", milliseconds: 60_000),
        DurationUnit(symbol: "s", milliseconds: 1000),
        DurationUnit(symbol: "ms", milliseconds: 1),
    ]
}

/// `<digits>[.<digits>]<unit>` split into an exact decimal and the unit text that follows it.
private struct DecimalQuantity {
    /// The digits with the decimal point removed: `1.50` is 15 with one fraction digit.
    var significand: Int64
    var fractionDigits: Int
    var unit: Substring

    init?(_ text: String) {
        let isNumberPart: (Character) -> Bool = { $0 == "." || ("0"..."9").contains($0) }
        let numberEnd = text.firstIndex { !isNumberPart($0) } ?? text.endIndex
        let parts = text[..<numberEnd].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        var fraction = parts.count == 2 ? parts[1] : ""
        while fraction.last == "0" { fraction.removeLast() }
        guard let significand = Int64(parts[0] + fraction) else { return nil }
        self.significand = significand
        self.fractionDigits = fraction.count
        self.unit = text[numberEnd...]
    }

    /// `significand × multiplier ÷ 10^fractionDigits` when that is a whole number that fits.
    func exactValue(times multiplier: Int64) -> Int64? {
        var divisor: Int64 = 1
        for _ in 0..<fractionDigits {
            let (next, overflow) = divisor.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            divisor = next
        }
        let (product, overflow) = significand.multipliedReportingOverflow(by: multiplier)
        guard !overflow, product % divisor == 0 else { return nil }
        return product / divisor
    }
}
