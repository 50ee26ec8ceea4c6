import Foundation

/// A five-field cron expression: minute, hour, day of month, month, day of week, each `*`, a
/// number, a range `a-b`, a step `*/n` or `a-b/n`, or a comma list of those; months and days of
/// the week also by their three-letter English names (`JAN`, `MON`), Sunday as 0 or 7.
///
/// As in Vixie cron, when both the day of month and the day of week are restricted, a day matches
/// if either does. Times are wall-clock times in a time zone: a time skipped by a daylight-saving
/// change runs an hour later (02:30 becomes 03:30), and a time that happens twice runs once.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// The expression as written.
    public let description: String
    let minutes: [Int], hours: [Int], days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    /// Whether the day-of-month and day-of-week fields were `*` (unrestricted).
    let anyDay: Bool, anyWeekday: Bool

    /// Parses `text`; throws a one-line reason naming the field at fault.
    public init(_ text: String) throws(CronError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronError("a cron expression has five fields (minute hour day-of-month month day-of-week), got \(fields.count)")
        }
        description = text
        minutes = try Self.values(fields[0], field: "minute", 0...59).sorted()
        hours = try Self.values(fields[1], field: "hour", 0...23).sorted()
        days = try Self.values(fields[2], field: "day of month", 1...31)
        months = try Self.values(fields[3], field: "month", 1...12, names: Self.monthNames)
        weekdays = Set(try Self.values(fields[4], field: "day of week", 0...7, names: Self.weekdayNames).map { $0 % 7 })
        anyDay = fields[2] == "*"
        anyWeekday = fields[4] == "*"
    }

    /// The first time after `after` that the expression names, in `timeZone`; nil if none within
    /// five years (e.g. `0 0 30 2 *`).
    public func next(after: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var day = calendar.startOfDay(for: after)
        for _ in 0..<(366 * 5) {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if matches(day: parts.day!, month: parts.month!, weekday: parts.weekday! - 1) {
                for hour in hours {
                    for minute in minutes {
                        let wall = DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: hour, minute: minute)
                        // A wall time skipped by a DST change resolves to an hour later.
                        if let time = calendar.date(from: wall), time > after { return time }
                    }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = following
        }
        return nil
    }

    private func matches(day: Int, month: Int, weekday: Int) -> Bool {
        guard months.contains(month) else { return false }
        switch (anyDay, anyWeekday) {
        case (true, true): return true
        case (false, true): return days.contains(day)
        case (true, false): return weekdays.contains(weekday)
        case (false, false): return days.contains(day) || weekdays.contains(weekday)
        }
    }

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// The values one field names.
    private static func values(_ field: String, field name: String, _ range: ClosedRange<Int>, names: [String] = []) throws(CronError) -> Set<Int> {
        var values: Set<Int> = []
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, let base = pieces.first, !base.isEmpty else { throw CronError("\(name) field '\(field)' is not valid") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else { throw CronError("\(name) field '\(field)': the step must be a positive number") }
                step = parsed
            }
            var bounds: ClosedRange<Int>
            if base == "*" {
                bounds = range
            } else {
                let ends = base.split(separator: "-", omittingEmptySubsequences: false)
                guard ends.count <= 2 else { throw CronError("\(name) field '\(field)' is not valid") }
                let low = try value(ends[0], field: field, name: name, range, names: names)
                let high =
                    ends.count == 2 ? try value(ends[1], field: field, name: name, range, names: names) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw CronError("\(name) field '\(field)': the range \(low)-\(high) is backwards") }
                bounds = low...high
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }

    private static func value(_ text: Substring, field: String, name: String, _ range: ClosedRange<Int>, names: [String]) throws(CronError) -> Int {
        if let index = names.firstIndex(of: text.lowercased()) { return index + (range.lowerBound == 1 ? 1 : 0) }
        guard let number = Int(text), range.contains(number) else {
            throw CronError("\(name) field '\(field)': '\(text)' is not a \(name) (\(range.lowerBound)-\(range.upperBound))")
        }
        return number
    }
}

/// Why a cron expression was refused, in one line.
public struct CronError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
