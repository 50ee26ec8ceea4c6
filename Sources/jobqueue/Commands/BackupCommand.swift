import ArgumentParser
import JobQueue
import JobQueueConfig

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite store to a new file, while hosts run.",
        discussion: """
            The copy is a consistent snapshot (one read transaction) readable by its owner only; it \
            appears at PATH only once complete and on disk, and never overwrites a file. To restore, \
            stop the hosts and point store.path at the copy (or move it over the store file and \
            remove the old -wal and -shm files). Jobs leased at the time of the copy run again once \
            their leases expire, as after a crash. A PostgreSQL store is backed up with pg_dump.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The new file.", valueName: "PATH")) var destination: String

    func run() throws {
        let store = try global.loadConfiguration().store
        guard case let .sqlite(settings) = store.backend else {
            throw ValidationError(
                "backup copies a SQLite store; store \(store.location) is PostgreSQL: use pg_dump --schema (see docs/operations.md)")
        }
        let summary = try SQLiteJobStore.backup(settings, to: destination)
        print(
            "backed up \(settings.path) to \(destination): \(summary.jobs) job\(summary.jobs == 1 ? "" : "s"), "
                + "\(summary.deadLetters) dead letter\(summary.deadLetters == 1 ? "" : "s"), \(summary.bytes) bytes")
    }
}
