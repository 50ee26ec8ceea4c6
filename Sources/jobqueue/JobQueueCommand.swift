import ArgumentParser
import JobQueue

/// `jobqueue`: run the host, enqueue jobs, inspect queues and dead letters.
@main
struct JobQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobqueue",
        abstract: "A durable job queue that runs workers as compiled plugins.",
        discussion: """
            Reads ./config.yaml unless --config PATH is given.
            Exit codes: 0 success; 1 error (bad input, unusable store or config, failed check); \
            64 bad command line; 70 a running host stopped by itself (its store became unusable).
            """,
        version: JobQueueVersion.current,
        subcommands: [
            RunCommand.self, CheckCommand.self, EnqueueCommand.self, StatusCommand.self, JobsCommand.self, DeadCommand.self, PauseCommand.self,
            ResumeCommand.self, SchedulesCommand.self, BackupCommand.self, PluginCommand.self,
        ]
    )
}
