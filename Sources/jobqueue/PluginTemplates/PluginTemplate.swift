import ArgumentParser
import Foundation

/// A new plugin project, as `jobqueue plugin new` writes it: a greeter (`{"name": "Ada"}` becomes
/// `Hello, Ada!`, the greeting from the topic's `config:`) with what it takes to build it, a
/// `config.yaml` that serves it, a test payload and a README saying what to run.
struct PluginTemplate {
    enum Language: String, CaseIterable, ExpressibleByArgument {
        case c, swift, rust
    }

    /// The plugin's name (a letter, then letters and digits): its library is `lib<name>.so`.
    let name: String
    let language: Language
    /// The JobQueuePluginSDK package: the C header, and the Swift SDK package.
    let sdk: String

    /// The topic the config names: the name, lowercased.
    var topic: String { name.lowercased() }

    /// The command that builds the plugin, run in the project's folder.
    var buildCommand: String {
        switch language {
        case .c, .rust: "./build.sh"
        case .swift: "swift build"
        }
    }

    /// Where the build puts the library, relative to the project's folder.
    var library: String {
        language == .swift ? ".build/debug/lib\(name).so" : "lib\(name).so"
    }

    /// The plugin ABI in C, and in Rust, in the SDK's folder.
    static let header = "Sources/CJobQueuePlugin/include/jobqueue_plugin.h"
    static let rustBindings = "Rust/jobqueue_plugin.rs"

    /// Every file of the project, by path relative to its folder, and whether it is a script.
    func files() throws -> [(path: String, text: String, executable: Bool)] {
        let common: [(String, String, Bool)] = [
            ("config.yaml", config, false),
            ("payload.json", #"{"name": "Ada"}"# + "\n", false),
            ("README.md", readme, false),
        ]
        switch language {
        case .c:
            let header = try String(contentsOfFile: sdk + "/" + Self.header, encoding: .utf8)
            return common + [("\(name).c", cSource, false), ("jobqueue_plugin.h", header, false), ("build.sh", cBuild, true)]
        case .swift:
            return common + [("Package.swift", swiftPackage, false), ("Sources/\(name)/\(name).swift", swiftSource, false)]
        case .rust:
            let bindings = try String(contentsOfFile: sdk + "/" + Self.rustBindings, encoding: .utf8)
            return common + [("\(name.lowercased()).rs", rustSource, false), ("jobqueue_plugin.rs", bindings, false), ("build.sh", rustBuild, true)]
        }
    }

    private var config: String {
        """
        # Serves the plugin from this folder: `jobqueue check --config config.yaml`, then `run`.
        store:
          path: queue.db
        log:
          level: debug                     # shows each job's outcome and result
        topics:
          \(topic):
            plugin: \(library)   # relative to this file
            config: { greeting: Hello }    # handed to jq_init as JSON

        """
    }

    private var readme: String {
        """
        # \(name)

        A JobQueue plugin in \(language == .c ? "C" : language == .swift ? "Swift" : "Rust"): `{"name": "Ada"}` becomes `Hello, Ada!`, with the
        greeting from the topic's `config:`; an empty name is discarded.

        ```sh
        \(buildCommand)                                        # builds \(library)
        jobqueue check --config config.yaml                  # loads it, runs its jq_init
        jobqueue enqueue --config config.yaml q \(topic) "$(cat payload.json)"
        jobqueue run --drain --config config.yaml            # logs `result=Hello, Ada!`
        ```

        """
    }
}
