import ArgumentParser
import Foundation
import JobQueueConfig
import JobQueueHost

extension JobQueueCommand {
    /// Runs the command, turning store errors into their one-line operator form
    /// (`StoreConfiguration.operatorError`: only a SQLite store's raw errors are mapped).
    /// Exit status: 0 success, 1 an error, 64 a malformed command line, 70 a host that stopped by itself.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as HostFailure {
            FileHandle.standardError.write(Data("Error: \(failure)\n".utf8))
            Foundation.exit(HostFailure.exitStatus)
        } catch {
            let store = try? Configuration.load(path: GlobalOptions.configPath(in: CommandLine.arguments)).store
            exit(withError: store?.operatorError(error) ?? error)
        }
    }
}
