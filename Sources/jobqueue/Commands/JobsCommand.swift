import ArgumentParser
import Foundation
import JobQueue
import JobQueueHost

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs, or show one with the history of its runs.",
        discussion: """
            A job is ready, scheduled, leased (taken by a host), dead (a dead letter), cancelled, or \
            completed (kept only when retention.completed is set). Its history keeps its last \
            \(StoreRules.historyLength) runs: when, where, how each ended and why.
            """,
        subcommands: [List.self, Show.self, Cancel.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, most recently enqueued first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only jobs in this state: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).") var state: JobState?
        @Option(help: "Only this queue.") var queue: String?
        @Option(help: "Only this topic.") var topic: String?
        @Option(help: "At most this many.") var limit: Int = 100
        @Flag(help: "Print JSON instead of a table.") var json = false

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit)") }
        }

        func run() async throws {
            let filter = JobFilter(state: state, queueID: queue, topic: topic)
            let jobs = try await global.withClient(creatingStore: false) { try await $0.jobs(matching: filter, limit: limit) }
            if json {
                try JSONOutput.print(jobs.map { JobView($0) })
                return
            }
            if jobs.isEmpty {
                print("no jobs")
                return
            }
            var table = Table(headers: ["ID", "QUEUE", "TOPIC", "STATE", "ATTEMPTS", "AT", "ERROR"], numeric: [0, 4])
            for job in jobs {
                table.add([
                    "\(job.id)", job.queueID, job.topic, job.stateText,
                    "\(job.attempts)", job.at.description, Self.brief(job.error ?? ""),
                ])
            }
            print(table.render())
        }

        static func brief(_ text: String) -> String {
            text.count > 60 ? text.prefix(59) + "…" : text
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job: its state, payload and the history of its runs.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The job's id.") var id: String
        @Flag(help: "Print JSON instead of text.") var json = false

        func validate() throws {
            if JobID(id) == nil { throw ValidationError("'\(id)' is not a job id") }
        }

        func run() async throws {
            let id = JobID(id)!
            let (found, progress) = try await global.withClient(creatingStore: false) { client -> (JobRecord?, JobProgress?) in
                guard let job = try await client.job(id) else { return (nil, nil) }
                guard job.state == .leased else { return (job, nil) }
                // Running: the latest progress its plugin reported, from the hosts' records.
                let reported = try await client.hosts().lazy.flatMap(\.progress).first { $0.job == id }
                return (job, reported?.progress)
            }
            guard let job = found else {
                FileHandle.standardError.write(Data("Error: no job has id \(id) (completed jobs are kept only with retention.completed)\n".utf8))
                throw ExitCode.failure
            }
            if json {
                try JSONOutput.print(JobView(job, progress: progress))
            } else {
                print(Self.render(job, progress: progress))
            }
        }

        static func render(_ job: JobRecord, progress: JobProgress? = nil) -> String {
            let when: String =
                switch job.state {
                case .ready, .scheduled: "runs at"
                case .leased: "lease until"
                case .dead: "died at"
                case .cancelled: "cancelled at"
                case .completed: "completed at"
                }
            var lines = [
                "job \(job.id)",
                "  queue       \(job.queueID)",
                "  topic       \(job.topic)",
                "  state       \(job.stateText)",
                "  attempts    \(job.attempts) of \(job.maxRetries + 1)",
                "  priority    \(job.priority)",
                "  created at  \(job.createdAt)",
                "  \(when.padding(toLength: 11, withPad: " ", startingAt: 0)) \(job.at)",
            ]
            if let progress { lines.append("  progress    \(progress.text)") }
            if let error = job.error { lines.append("  error       \(error)") }
            lines.append("  payload     \(String(decoding: job.payload, as: UTF8.self))")
            if job.history.isEmpty {
                lines.append("runs: none recorded")
            } else {
                var table = Table(headers: ["ATTEMPT", "OUTCOME", "FINISHED", "DURATION", "HOST", "ERROR"], numeric: [0])
                for run in job.history {
                    table.add([
                        "\(run.attempt)", run.outcome.rawValue, run.finishedAt.description, run.duration.map { "\($0.milliseconds)ms" } ?? "-",
                        run.host, run.error ?? "",
                    ])
                }
                lines.append("runs:")
                lines += table.render().split(separator: "\n").map { "  " + $0 }
            }
            return lines.joined(separator: "\n")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel jobs: queued ones never run, running ones are killed on whichever host runs them.",
            discussion: """
                A cancelled job is kept with the dead letters (state cancelled, with who and when) and \
                pruned like them; `jobqueue dead retry` brings it back. A running job's child is killed \
                within a second, and the other jobs of its batch go back to their queue uncharged.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Job ids.") var ids: [String] = []
        @Option(help: "Every live job of this queue (narrow with --topic).") var queue: String?
        @Option(help: "With --queue: only this topic.") var topic: String?

        func validate() throws {
            if ids.isEmpty == (queue == nil) { throw ValidationError("give job ids, or --queue Q") }
            if topic != nil && queue == nil { throw ValidationError("--topic goes with --queue") }
            if let bad = ids.first(where: { JobID($0) == nil }) { throw ValidationError("'\(bad)' is not a job id") }
        }

        func run() async throws {
            let selection: JobSelection = queue.map { .queue($0, topic: topic) } ?? .ids(ids.compactMap { JobID($0) })
            let (cancelled, missing) = try await global.withClient(creatingStore: false) { client in
                let cancelled = try await client.cancel(selection, by: Operator.name)
                var missing: [(JobID, JobRecord?)] = []
                if case let .ids(ids) = selection {
                    for id in ids where !cancelled.contains(id) { missing.append((id, try await client.job(id))) }
                }
                return (cancelled, missing)
            }
            print("cancelled \(cancelled.count) job\(cancelled.count == 1 ? "" : "s")")
            for (id, job) in missing {
                let why = job.map { "job \(id) is \($0.state.rawValue), not ready, scheduled or running" } ?? "no job has id \(id)"
                FileHandle.standardError.write(Data("Error: cannot cancel: \(why)\n".utf8))
            }
            if !missing.isEmpty { throw ExitCode.failure }
        }
    }
}

extension JobState: ExpressibleByArgument {}

extension JobRecord {
    /// The state as listed: a dead letter with its kind, e.g. `dead (failed)`.
    fileprivate var stateText: String {
        state == .dead ? "dead (\(deadKind?.rawValue ?? "?"))" : state.rawValue
    }
}
