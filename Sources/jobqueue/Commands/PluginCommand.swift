import ArgumentParser
import Foundation
import JobQueuePlugins

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Inspect a plugin file.",
        subcommands: [Info.self]
    )

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What a plugin file is: its ABI version, exports, language and libraries.",
            discussion: """
                Reads the file, then loads it in a throwaway process that calls jq_abi_version only \
                (never jq_init, never in the host). Exits 1 if the host would refuse it; `jobqueue \
                check` also runs its jq_init with a topic's configuration.
                """
        )

        @Argument(help: "The plugin's shared library (lib<Name>.so).") var path: String
        @Flag(help: "Print JSON instead of text.") var json = false

        func run() throws {
            let info: PluginInfo
            do {
                info = try PluginInspector.inspect(path)
            } catch let error as ELFError {
                throw InputError("\(path): \(error)")
            }
            if json {
                try JSONOutput.print(PluginInfoView(info))
            } else {
                print(Self.text(info))
            }
            if let problem = info.problems.first {
                throw InputError("\(path): \(problem)\(info.problems.count > 1 ? " (and \(info.problems.count - 1) more above)" : "")")
            }
        }

        static func text(_ info: PluginInfo) -> String {
            let exports = (PluginInfo.requiredExports + PluginInfo.optionalExports).map { name in
                info.exports.contains(name) ? name : "\(name) (\(PluginInfo.requiredExports.contains(name) ? "MISSING" : "absent"))"
            }
            let abi = info.abiVersion.map { version in
                let host = info.hostVersion.map { host in
                    version.major != host.major
                        ? "incompatible with this host's \(host)"
                        : version.minor > host.minor
                            ? "newer than this host's \(host): features after \(host) are ignored" : "this host speaks \(host)"
                }
                return "\(version)" + (host.map { " (\($0))" } ?? "")
            }
            var lines = [
                "plugin   \(info.path)",
                "abi      \(abi ?? "unknown")",
                "exports  \(exports.joined(separator: ", "))",
                "language \(info.isSwift ? "Swift" : "C or another language with a C ABI")",
            ]
            for (index, dependency) in info.dependencies.enumerated() {
                let found = dependency.path ?? (info.loadError == nil ? "NOT FOUND" : "?")
                lines.append("\(index == 0 ? "needs   " : "        ") \(dependency.name) => \(found)")
            }
            if info.dependencies.isEmpty { lines.append("needs    nothing") }
            for problem in info.problems { lines.append("problem  \(problem)") }
            return lines.joined(separator: "\n")
        }
    }
}

/// `plugin info --json`.
struct PluginInfoView: Encodable {
    let path: String
    let abiVersion: String?
    let hostAbiVersion: String?
    let exports: [String]
    let swift: Bool
    let dependencies: [Dependency]
    let problems: [String]

    struct Dependency: Encodable {
        let name: String
        let path: String?
    }

    init(_ info: PluginInfo) {
        path = info.path
        abiVersion = info.abiVersion?.description
        hostAbiVersion = info.hostVersion?.description
        exports = info.exports
        swift = info.isSwift
        dependencies = info.dependencies.map { Dependency(name: $0.name, path: $0.path) }
        problems = info.problems
    }
}
