import ArgumentParser
import JobQueue
import JobQueueConfig

extension JobQueueCommand {
    /// Runs the command, turning store errors into their one-line operator form.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let path = (try? Configuration.load(path: GlobalOptions.configPath(in: CommandLine.arguments)).store.location) ?? "file"
            exit(withError: StoreError(sqlite: error, path: path) ?? error)
        }
    }
}
