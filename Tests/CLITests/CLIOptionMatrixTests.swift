import Foundation
import Testing

extension ProcessTests {
    /// Every option that takes a value, of every command, as `--help` lists it (so a new option is
    /// covered the day it is added), given values of the wrong kind: each is refused with an
    /// `Error:` line, a non-zero exit and nothing on standard output, and the store is unchanged.
    @Suite struct CLIOptionMatrixTests {
        /// The commands, with the arguments each needs to reach its options.
        static let commands: [[String]] = [
            ["enqueue", "q", "t", "{}"], ["status"], ["check"], ["run"],
            ["dead", "list"], ["dead", "retry", "--all"], ["dead", "purge", "--all"], ["jobs", "cancel", "--queue", "q"], ["pause", "t"],
            ["resume", "t"],
        ]
        /// Options whose value is free text: any word is valid there.
        static let freeText: Set<String> = ["--queue", "--topic", "--unique-key"]
        static let badValues = ["", "bogus", "-99999999999999999999", "1e999"]

        /// `--name` of every option of `command` that takes a value, from its usage line.
        static func valueOptions(_ cli: CLI, _ command: [String]) async throws -> [String] {
            let words = command.prefix { !$0.hasPrefix("-") && !["q", "t", "{}"].contains($0) }
            let help = try await cli.run(Array(words) + ["--help"]).stdout
            let usage = try #require(help.split(separator: "\n").first { $0.hasPrefix("USAGE:") })
            let pattern = /\[(--[a-z-]+) <[^>]+>\]/
            return usage.matches(of: pattern).map { String($0.output.1) }
        }

        @Test(arguments: commands)
        func everyTypedOptionRefusesValuesOfTheWrongKind(command: [String]) async throws {
            let cli = try CLI()
            defer { cli.cleanUp() }
            try await cli.run("enqueue", "existing", "job", "{}")
            let before = try await cli.storedState()
            let options = try await Self.valueOptions(cli, command)
            #expect(options.contains("--config"), "usage line not understood: \(options)")
            for option in options where !Self.freeText.contains(option) {
                for value in Self.badValues {
                    let result = try await cli.run(command + ["\(option)=\(value)"])
                    #expect(result.status != 0, "\(command) \(option)=\(value) was accepted")
                    #expect(result.stderr.hasPrefix("Error: "), "\(command) \(option)=\(value): \(result.stderr)")
                    #expect(result.stdout.isEmpty, "\(command) \(option)=\(value) printed \(result.stdout)")
                }
            }
            #expect(try await cli.storedState() == before)
        }
    }
}
