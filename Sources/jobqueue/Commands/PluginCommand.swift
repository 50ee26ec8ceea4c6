import ArgumentParser
import Foundation
import JobQueuePlugins

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Start a new plugin, or inspect a plugin file.",
        subcommands: [New.self, Info.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new plugin project that builds and runs as it is.",
            discussion: """
                Writes DIR/NAME: the plugin's source (a greeter: {"name": "Ada"} becomes "Hello, Ada!"), \
                its build (build.sh, or Package.swift for Swift), a config.yaml that serves it, a test \
                payload and a README. Build it, then `jobqueue check --config DIR/NAME/config.yaml`.
                """
        )

        @Argument(help: "The plugin's name: a letter, then letters and digits (its library is lib<NAME>.so).") var name: String
        @Option(help: "c, swift or rust.") var language: PluginTemplate.Language
        @Option(help: "The folder to create the project in.") var dir = "."
        @Option(help: "The JobQueuePluginSDK folder (default: the one installed or built with this jobqueue).") var sdk: String?

        func validate() throws {
            guard name.first?.isLetter == true, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw ValidationError("NAME must be a letter followed by letters and digits, got '\(name)'")
            }
        }

        func run() throws {
            let folder = (dir as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: folder) { throw InputError("\(folder): already exists; choose another NAME or --dir") }
            guard let sdk = sdk ?? Self.installedSDK() else {
                throw InputError("cannot find JobQueuePluginSDK next to this jobqueue; pass --sdk PATH")
            }
            guard FileManager.default.fileExists(atPath: sdk + "/" + PluginTemplate.header) else {
                throw InputError("\(sdk): not a JobQueuePluginSDK folder (no \(PluginTemplate.header))")
            }
            let template = PluginTemplate(name: name, language: language, sdk: URL(fileURLWithPath: sdk).standardizedFileURL.path)
            for file in try template.files() {
                let path = (folder as NSString).appendingPathComponent(file.path)
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try file.text.write(toFile: path, atomically: true, encoding: .utf8)
                if file.executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
            }
            print("created \(folder): build it with `cd \(folder) && \(template.buildCommand)`, then `jobqueue check --config \(folder)/config.yaml`")
        }

        /// The SDK installed beside this executable (`PREFIX/share/jobqueue/`), or the one of the
        /// checkout it was built in (a folder above it).
        static func installedSDK() -> String? {
            guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
            var folder = executable.deletingLastPathComponent()
            let installed = folder.appendingPathComponent("../share/jobqueue/JobQueuePluginSDK").standardizedFileURL
            if FileManager.default.fileExists(atPath: installed.path + "/Package.swift") { return installed.path }
            while folder.path != "/" {
                let candidate = folder.appendingPathComponent("JobQueuePluginSDK")
                if FileManager.default.fileExists(atPath: candidate.path + "/Package.swift") { return candidate.path }
                folder = folder.deletingLastPathComponent()
            }
            return nil
        }
    }

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
