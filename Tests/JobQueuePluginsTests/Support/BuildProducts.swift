import Foundation

@testable import JobQueuePlugins

/// The plugins and the fork server these tests run, found in the build folder of the test binary.
///
/// `swift build` (and `swift build --build-tests`) builds them; `swift test` alone may not, and
/// then every test that needs them fails saying so.
enum BuildProducts {
    /// The folder holding the test binary: `.build…/debug` or `.build…/release`.
    static let directory: String = ForkServer.runningExecutableDirectory() ?? "."

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "\(path) is not built. Run `swift build --scratch-path <the same scratch folder>` (or "
                + "`swift build --build-tests`) before `swift test`: the tests need the plugin .so files and jobqueue-forkserver."
        }
    }

    /// Path of `lib<name>.so`; throws if it was not built.
    static func plugin(_ name: String) throws -> String {
        try existing("\(directory)/lib\(name).so")
    }

    /// Path of the fork server executable; throws if it was not built.
    static func forkServer() throws -> String {
        try existing("\(directory)/\(ForkServer.executableName)")
    }

    private static func existing(_ path: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw Missing(path: path) }
        return path
    }

    /// A fork server configuration using the built executable.
    static func configuration(limits: ForkServer.ResourceLimits = .unlimited) throws -> ForkServer.Configuration {
        ForkServer.Configuration(executablePath: try forkServer(), limits: limits)
    }
}
