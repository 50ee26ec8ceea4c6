import ArgumentParser
import Foundation
import JobQueue

struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Store a job (or every line of a JSON Lines file, all or nothing) and print its id.",
        discussion: """
            PAYLOAD is JSON; `-` reads it from standard input; it defaults to {}.
            Each line of --file is an object: {"queue": "...", "topic": "...", "payload": <any JSON>,
            "priority": 10, "at": "2026-01-01T09:00:00Z", "in": "5m", "max_retries": 3,
            "unique_key": "invoice-42", "unique_for": "24h"}.
            With a unique key, a job is stored only if no job of its topic with that key is ready, \
            scheduled or running (nor, with --unique-for, was enqueued within that time); otherwise \
            the existing job's id is printed and nothing is stored.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The queue (tenant) id.") var queue: String?
    @Argument(help: "The topic that routes the job to its worker.") var topic: String?
    @Argument(help: "The payload as JSON, or - for standard input.") var payload: String?

    // `.unconditional`: a negative value (`--priority -5`) is the option's value, not an option.
    @Option(parsing: .unconditional, help: "Lower runs first (default: the topic's, else 100).") var priority: Int?
    @Option(help: ArgumentHelp("Run at this ISO-8601 time (wins over --in).", valueName: "TIME")) var at: String?
    @Option(name: .customLong("in"), help: ArgumentHelp("Run after this delay: 1500ms, 90s, 5m, 1h.", valueName: "DELAY")) var delay: String?
    @Option(parsing: .unconditional, help: "Retries after the first run (default: the topic's, else 3).") var maxRetries: Int?
    @Option(help: ArgumentHelp("At most one live job of the topic with this key: a duplicate gets the existing id.", valueName: "KEY"))
    var uniqueKey: String?
    @Option(help: ArgumentHelp("Keep the unique key taken this long after enqueue, whatever the job's state.", valueName: "DURATION"))
    var uniqueFor: String?
    @Option(help: ArgumentHelp("Enqueue every line of a JSON Lines file in one transaction.", valueName: "PATH")) var file: String?

    func validate() throws {
        if file != nil {
            if queue != nil || topic != nil || payload != nil || priority != nil || at != nil || delay != nil || maxRetries != nil
                || uniqueKey != nil || uniqueFor != nil
            {
                throw ValidationError("--file takes no QUEUE, TOPIC, PAYLOAD or job options: put them on each line")
            }
        } else if queue == nil || topic == nil {
            throw ValidationError("give QUEUE and TOPIC, or --file PATH")
        }
    }

    func run() async throws {
        let jobs: [NewJob]
        if let file {
            jobs = try JobsFile.read(path: file)
        } else {
            let text = payload == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : (payload ?? "{}")
            let options = JobOptions(
                priority: priority, at: at, delay: delay, maxRetries: maxRetries, uniqueKey: uniqueKey, uniqueFor: uniqueFor)
            jobs = [try options.job(queue: queue!, topic: topic!, payload: try JobInput.jsonPayload(text))]
        }
        let unconfigured = Set(jobs.map(\.topic)).subtracting((try? global.loadConfiguration())?.topics.map(\.name) ?? [])
        // Only the live hosts' records, and only when a topic is not in the config: an enqueue
        // reads no job counts.
        let (ids, hosts) = try await global.withClient { client in
            (try await client.enqueue(jobs), unconfigured.isEmpty ? [] : try await client.hosts())
        }
        for id in ids {
            print(id)
        }
        warnAboutUnservedTopics(unconfigured, hosts: hosts)
    }

    /// A topic that the config does not name and no running host serves is most likely a typo:
    /// say so on standard error. Not an error: producers may run without the hosts' topics.
    private func warnAboutUnservedTopics(_ unconfigured: Set<String>, hosts: [HostRecord]) {
        let served = Set(hosts.flatMap(\.topics))
        for topic in unconfigured.subtracting(served).sorted() {
            let text =
                "warning: no topic '\(topic.quotedForMessage())' in \(global.config) and no running host serves it: its jobs wait until one does (`jobqueue jobs cancel ID...` removes them)\n"
            FileHandle.standardError.write(Data(text.utf8))
        }
    }
}
