import ArgumentParser
import Foundation
import JobQueue

struct DeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead",
        abstract: "List, retry or purge dead letters (jobs that failed for good, were discarded or cancelled).",
        subcommands: [List.self, Retry.self, Purge.self]
    )

    /// Which dead letters a command acts on: ids, or --all narrowed by queue and topic.
    struct Selection: ParsableArguments {
        @Argument(help: "Job ids.") var ids: [String] = []
        @Flag(help: "Every dead letter (narrow with --queue and --topic).") var all = false
        @Option(help: "Only this queue.") var queue: String?
        @Option(help: "Only this topic.") var topic: String?
        @Option(help: "Only this kind (with --all): failed, discarded, cancelled.") var kind: DeadLetter.Kind?

        func validate() throws {
            if ids.isEmpty && !all { throw ValidationError("give job ids, or --all") }
            if !ids.isEmpty && all { throw ValidationError("give job ids or --all, not both") }
            if !ids.isEmpty && (queue != nil || topic != nil || kind != nil) { throw ValidationError("--queue, --topic and --kind go with --all") }
            if let bad = ids.first(where: { JobID($0) == nil }) { throw ValidationError("'\(bad)' is not a job id") }
        }

        var selector: DeadLetterSelector {
            DeadLetterSelector(ids: all ? nil : ids.compactMap { JobID($0) }, queueID: queue, topic: topic, kind: kind)
        }

        /// Applies `action` to the selected dead letters and prints `done` with how many it
        /// touched. Each id that names no dead letter is then one line of error, and the command
        /// fails (after acting on the others).
        func apply(_ action: (JobClient, DeadLetterSelector) async throws -> Int, global: GlobalOptions, done: String) async throws {
            let selector = selector
            let (count, unknown) = try await global.withClient(creatingStore: false) { client in
                let found = Set(try await client.deadLetters(matching: selector).map(\.id))
                let unknown = (selector.ids ?? []).filter { !found.contains($0) }
                return (try await action(client, selector), unknown)
            }
            print("\(done) \(count) job\(count == 1 ? "" : "s")")
            for id in unknown {
                FileHandle.standardError.write(Data("Error: no dead letter has id \(id)\n".utf8))
            }
            if !unknown.isEmpty { throw ExitCode.failure }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters, oldest first.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this queue.") var queue: String?
        @Option(help: "Only this topic.") var topic: String?
        @Option(help: "Only this kind: \(DeadLetter.Kind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: DeadLetter.Kind?
        @Option(help: "At most this many.") var limit: Int?
        @Flag(help: "Print JSON instead of a table.") var json = false

        struct Entry: Encodable {
            var id: Int64
            var queue: String, topic: String, kind: String, attempts: Int, reason: String
            var payload: String
            var createdAt: String, diedAt: String
        }

        func run() async throws {
            let selector = DeadLetterSelector(queueID: queue, topic: topic, kind: kind)
            let dead = try await global.withClient(creatingStore: false) { try await $0.deadLetters(matching: selector, limit: limit) }
            let entries = dead.map {
                Entry(
                    id: $0.id.rawValue, queue: $0.queueID, topic: $0.topic, kind: $0.kind.rawValue, attempts: $0.attempts,
                    reason: $0.reason, payload: String(decoding: $0.payload, as: UTF8.self),
                    createdAt: $0.createdAt.description, diedAt: $0.diedAt.description)
            }
            if json {
                try JSONOutput.print(entries)
                return
            }
            if entries.isEmpty {
                print("no dead letters")
                return
            }
            var table = Table(headers: ["ID", "QUEUE", "TOPIC", "KIND", "ATTEMPTS", "DIED", "REASON"], numeric: [0, 4])
            for entry in entries {
                let reason = entry.reason.count > 60 ? entry.reason.prefix(59) + "…" : Substring(entry.reason)
                table.add(["\(entry.id)", entry.queue, entry.topic, entry.kind, "\(entry.attempts)", entry.diedAt, String(reason)])
            }
            print(table.render())
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put dead letters back in their queues, from attempt 1.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: Selection

        func run() async throws {
            try await selection.apply({ try await $0.retryDeadLetters(matching: $1) }, global: global, done: "retried")
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete dead letters for good.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: Selection

        func run() async throws {
            try await selection.apply({ try await $0.purgeDeadLetters(matching: $1) }, global: global, done: "purged")
        }
    }
}

extension DeadLetter.Kind: ExpressibleByArgument {}
