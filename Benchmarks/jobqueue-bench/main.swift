import Foundation

// jobqueue-bench: JobQueue's figures on this machine, with the machine's own limits measured in
// the same run. See docs/benchmarks.md. Always a release build:
//
//     swift build -c release && .build/release/jobqueue-bench [--quick | --smoke] [--json]

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(error.description.hasPrefix("usage:") ? 0 : 64)
}

if let store = options.producerStore {
    exit(await Producer.serve(storePath: store, sync: options.producerSync))
}

#if DEBUG
if options.size != .smoke {
    FileHandle.standardError.write(Data("jobqueue-bench: this is a debug build; its figures mean nothing (use -c release, or --smoke)\n".utf8))
}
#endif

let bench: Bench
do {
    bench = try Bench(options: options)
} catch {
    FileHandle.standardError.write(Data("jobqueue-bench: \(error)\n".utf8))
    exit(1)
}

let started = Monotonic.nanos()
var runs: [[Row]] = []
var failed = false
for run in 1...options.runs {
    if options.runs > 1 { bench.progress.note("run \(run) of \(options.runs)") }
    var rows: [Row] = []
    for scenario in ScenarioID.allCases where scenario != .fractions && options.selects(scenario) {
        do {
            rows += try await scenario.run(bench)
        } catch {
            bench.problem("\(scenario.rawValue): \(error)")
            failed = true
        }
    }
    runs.append(rows)
}
await bench.shutdown()
bench.progress.finish()

var rows = Summary.medians(runs)
rows += Summary.fractions(rows)
let report = BenchReport(
    size: options.size.rawValue, runs: options.runs, seconds: Monotonic.seconds(since: started), folder: bench.folder,
    machine: MachineInfo.current(folder: bench.folder), rows: rows, targets: Summary.evaluate(rows),
    allJobsProcessed: !rows.contains { row in row.expected.map { $0 != row.processed } ?? false } && bench.problems.isEmpty,
    problems: bench.problems)

if options.json {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
} else {
    print(report.table)
}
exit(failed || !report.problems.isEmpty ? 1 : 0)
