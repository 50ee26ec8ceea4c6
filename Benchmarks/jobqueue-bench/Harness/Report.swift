/// One figure of the run.
struct Row: Codable, Sendable {
    var scenario: String
    /// Stable name for JSON consumers and targets, e.g. "e2e.plugin.b10.c4".
    var key: String
    var label: String
    var value: Double
    var unit: String
    var note: String?
    /// Jobs the run processed and was expected to, where it processes jobs.
    var processed: Int?
    var expected: Int?
    /// The value of every run when --runs > 1 (the value itself is their median).
    var runs: [Double]?

    init(
        _ scenario: ScenarioID, _ key: String, _ label: String, _ value: Double, _ unit: String, note: String? = nil, processed: Int? = nil,
        expected: Int? = nil
    ) {
        self.scenario = scenario.rawValue
        self.key = key
        self.label = label
        self.value = value
        self.unit = unit
        self.note = note
        self.processed = processed
        self.expected = expected
    }
}

/// A goal from the issue, checked against a row.
struct Target: Codable, Sendable {
    var name: String
    var key: String
    var goal: Double
    /// True: the value must be at least `goal`; false: at most.
    var atLeast: Bool
    var unit: String
    var value: Double?
    var met: Bool?
}

struct MachineInfo: Codable, Sendable {
    var cpus: Int
    var cpuModel: String
    var memoryMiB: Int
    var kernel: String
    var disk: String
    var swift: String
    var sqlite: String
}

/// Everything a run found: printed as a table or as JSON.
struct BenchReport: Codable, Sendable {
    var size: String
    var runs: Int
    var seconds: Double
    var folder: String
    var machine: MachineInfo
    var rows: [Row]
    var targets: [Target]
    /// True when every scenario processed every job it enqueued (and left no ready job behind).
    var allJobsProcessed: Bool
    /// What went wrong: jobs missing, a process that would not start... Empty on a good run.
    var problems: [String]
}

extension BenchReport {
    /// The human-readable table.
    var table: String {
        var lines: [String] = []
        lines.append("jobqueue-bench (\(size) run\(runs > 1 ? ", median of \(runs) runs" : ""), \(format(seconds, decimals: 0)) s)")
        lines.append(
            "machine: \(machine.cpus) × \(machine.cpuModel), \(format(Double(machine.memoryMiB) / 1024, decimals: 1)) GiB, \(machine.disk), Linux \(machine.kernel), Swift \(machine.swift), SQLite \(machine.sqlite)"
        )
        var scenario = ""
        for row in rows {
            if row.scenario != scenario {
                scenario = row.scenario
                lines.append("")
                lines.append("== \(ScenarioID(rawValue: scenario)?.title ?? scenario)")
            }
            var line = "  " + row.label.rightPadded(58) + " " + formatValue(row.value, row.unit).leftPadded(12) + " " + row.unit.rightPadded(9)
            if let note = row.note { line += " " + note }
            if let runs = row.runs, runs.count > 1 {
                line += " [runs: " + runs.map { formatValue($0, row.unit) }.joined(separator: ", ") + "]"
            }
            lines.append(line.trailingSpacesTrimmed)
        }
        if !targets.isEmpty {
            lines.append("")
            lines.append("== Targets (sync full, C no-op plugin, isolation on)")
            for target in targets {
                let goal = (target.atLeast ? "≥ " : "≤ ") + formatValue(target.goal, target.unit) + " " + target.unit
                let value = target.value.map { formatValue($0, target.unit) + " " + target.unit } ?? "not run"
                let verdict = target.met.map { $0 ? "met" : "MISSED" } ?? "-"
                lines.append(
                    ("  " + target.name.rightPadded(50) + " " + goal.leftPadded(16) + "  " + value.leftPadded(16) + "  " + verdict)
                        .trailingSpacesTrimmed)
            }
        }
        lines.append("")
        lines.append(allJobsProcessed && problems.isEmpty ? "every job enqueued was processed" : "PROBLEMS:")
        for problem in problems { lines.append("  - " + problem) }
        return lines.joined(separator: "\n")
    }
}

// MARK: - Number formatting without locale surprises

/// `value` with `decimals` digits after the point and thousands separated by commas.
func format(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "n/a" : (value < 0 ? "-∞" : "∞") }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    var digits = String(whole)
    var grouped = ""
    while digits.count > 3 {
        grouped = "," + digits.suffix(3) + grouped
        digits.removeLast(3)
    }
    grouped = digits + grouped
    if decimals > 0 {
        let fractionText = String(fraction)
        grouped += "." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
    }
    return (value < 0 && scaled != 0 ? "-" : "") + grouped
}

/// A figure with as many decimals as its size deserves.
func formatValue(_ value: Double, _ unit: String) -> String {
    if unit == "×" || unit == "fraction" { return format(value, decimals: 2) }
    let magnitude = abs(value)
    if magnitude >= 100 || magnitude == 0 { return format(value, decimals: 0) }
    if magnitude >= 10 { return format(value, decimals: 1) }
    return format(value, decimals: 2)
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    func rightPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    var trailingSpacesTrimmed: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
