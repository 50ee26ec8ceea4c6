import ArgumentParser
import Foundation
import JobQueue

/// `jobqueue pause` and `jobqueue resume`: hold a topic (or one queue of it) and let it go again.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a topic, or one queue of it: no host starts its jobs until it is resumed.",
        discussion: """
            Stored in the store: every host honours it at once and after a restart. Jobs can still \
            be enqueued; running jobs finish. `jobqueue status` lists what is paused.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The topic.") var topic: String
    @Option(help: "Only this queue of the topic.") var queue: String?

    func run() async throws {
        let paused = try await global.withClient(creatingStore: false) { try await $0.pause(topic: topic, queue: queue) }
        print("\(PauseCommand.subject(topic: topic, queue: queue)) \(paused ? "paused" : "was paused already")")
    }

    static func subject(topic: String, queue: String?) -> String {
        queue.map { "queue '\($0.quotedForMessage())' of topic '\(topic.quotedForMessage())'" } ?? "topic '\(topic.quotedForMessage())'"
    }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused topic or queue: hosts start its jobs again at once.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The topic.") var topic: String
    @Option(help: "Only this queue of the topic (as it was paused).") var queue: String?

    func run() async throws {
        let resumed = try await global.withClient(creatingStore: false) { try await $0.resume(topic: topic, queue: queue) }
        let subject = PauseCommand.subject(topic: topic, queue: queue)
        guard resumed else {
            FileHandle.standardError.write(Data("Error: \(subject) is not paused\n".utf8))
            throw ExitCode.failure
        }
        print("\(subject) resumed")
    }
}
