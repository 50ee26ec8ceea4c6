/// The command line of `jobqueue-bench`.
struct Options: Sendable {
    enum Size: String, Sendable, Codable {
        /// About three minutes: the figures of docs/benchmarks.md.
        case full
        /// Under 30 s in a release build: the same scenarios on smaller numbers.
        case quick
        /// Seconds, even in a debug build: checks the harness works (CI), not the figures.
        case smoke
    }

    var size = Size.full
    var json = false
    /// Repeat every scenario this many times and report the median of each figure.
    var runs = 1
    /// Only these scenarios (ids as in `Scenario.id`); nil runs all.
    var only: Set<String>?
    /// End to end: only these cells, as BATCHxCONCURRENCY ("10x4"); for profiling one case.
    var cells: Set<String>?
    /// End to end: run the plugin executor, the in-process one, or both (the default).
    var executors: Set<String> = ["plugin", "in-process"]
    /// Where stores are created; a fresh folder under the system temporary folder by default.
    var folder: String?
    /// Internal: serve as the producer process of the start-latency scenario on this store.
    var producerStore: String?
    var producerSync = "full"

    static let usage = """
        usage: jobqueue-bench [--quick | --smoke] [--json] [--runs N] [--only ID,ID...] [--folder PATH]

          --quick      smaller numbers, under 30 s (release build)
          --smoke      tiny numbers: checks the harness works, seconds even in a debug build
          --json       print the results as JSON on standard output instead of the table
          --runs N     run every scenario N times; figures are the medians
          --only IDS   run only these scenarios: \(ScenarioID.allCases.map(\.rawValue).joined(separator: ", "))
          --folder P   create the stores under P (default: a fresh folder in the temporary folder)
          --cells C    end to end: only these BATCHxCONCURRENCY cells, e.g. 10x4,100x4 (for profiling)
          --executor E end to end: plugin or in-process only (for profiling)

        Progress goes to standard error. Always run a release build:
          swift build -c release && .build/release/jobqueue-bench
        """

    struct UsageError: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ arguments: [String]) throws(UsageError) -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws(UsageError) -> String {
            guard let next = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": options.size = .quick
            case "--smoke": options.size = .smoke
            case "--json": options.json = true
            case "--runs":
                guard let runs = Int(try value(argument)), runs >= 1 else { throw UsageError(description: "--runs takes a positive number") }
                options.runs = runs
            case "--only":
                let ids = try value(argument).split(separator: ",").map(String.init)
                for id in ids where ScenarioID(rawValue: id) == nil {
                    throw UsageError(description: "unknown scenario \(id); known: \(ScenarioID.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                options.only = Set(ids)
            case "--folder": options.folder = try value(argument)
            case "--executor":
                let executor = try value(argument)
                guard ["plugin", "in-process"].contains(executor) else { throw UsageError(description: "--executor is plugin or in-process") }
                options.executors = [executor]
            case "--cells": options.cells = Set(try value(argument).split(separator: ",").map(String.init))
            case "--producer": options.producerStore = try value(argument)
            case "--producer-sync": options.producerSync = try value(argument)
            case "-h", "--help":
                throw UsageError(description: usage)
            default:
                throw UsageError(description: "unknown argument \(argument)\n\n\(usage)")
            }
        }
        return options
    }

    func selects(_ id: ScenarioID) -> Bool {
        only?.contains(id.rawValue) ?? true
    }
}
