import Foundation
import Testing

@testable import JobQueueConfig

@Suite("Configuration.load(path:)")
struct ConfigurationLoadTests {
    @Test func loadsAFileAndResolvesPathsAgainstItsFolder() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.path + "/etc", withIntermediateDirectories: true)
        let file = try directory.write(
            "etc/config.yaml",
            """
            store: { path: ../var/queue.db }
            topics:
              email:send:
                plugin: plugins/libEmailWorker.so
                config: { outbox: outbox/ }

            """)

        let configuration = try Configuration.load(path: directory.path + "/etc/./../etc/config.yaml")
        #expect(configuration.file == file)
        #expect(configuration.store.location == .path(directory.path + "/var/queue.db"))
        #expect(configuration.topic(named: "email:send")?.plugin == directory.path + "/etc/plugins/libEmailWorker.so")
        #expect(configuration.topic(named: "email:send")?.pluginConfigJSON == #"{"outbox":"outbox/"}"#)
    }

    @Test func errorsNameTheFileAsGiven() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("config.yaml", "consumer:\n  lease: 1s\n  concurrency: 0\n")
        let error = try #require(throws: ConfigError.self) { try Configuration.load(path: file) }
        #expect(error.description == "\(file):3:16: consumer.concurrency must be between 1 and 1024, got 0")
    }

    @Test func missingFileIsAOneLineError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/config.yaml"
        let error = try #require(throws: ConfigError.self) { try Configuration.load(path: path) }
        #expect(error.description == "\(path): no such file")
        #expect(error.line == nil && error.column == nil)
        let underMissingFolder = try #require(throws: ConfigError.self) { try Configuration.load(path: path + "/nested.yaml") }
        #expect(underMissingFolder.description == "\(path)/nested.yaml: no such file")
    }

    @Test func directoryIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = try #require(throws: ConfigError.self) { try Configuration.load(path: directory.path) }
        #expect(error.description == "\(directory.path): is a directory, not a file")
    }

    @Test func unreadableFileIsRefused() throws {
        // Root reads files regardless of their mode; there is nothing to test then.
        guard geteuid() != 0 else { return }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("config.yaml", "log: {}\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file)
        let error = try #require(throws: ConfigError.self) { try Configuration.load(path: file) }
        #expect(error.description == "\(file): permission denied")
    }

    @Test func filesOverOneMebibyteAreRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let padding = "# " + String(repeating: "x", count: 1021) + "\n"
        let atLimit = try directory.write("at-limit.yaml", String(repeating: padding, count: 1024))
        #expect(throws: Never.self) { try Configuration.load(path: atLimit) }
        let overLimit = try directory.write("over-limit.yaml", String(repeating: padding, count: 1024) + "\n")
        let error = try #require(throws: ConfigError.self) { try Configuration.load(path: overLimit) }
        #expect(error.description == "\(overLimit): larger than 1MiB; refusing to read it as a config file")
    }

    @Test func invalidUTF8IsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("config.yaml", Data([0x6C, 0x6F, 0x67, 0x3A, 0x20, 0xFF, 0x0A]))
        let error = try #require(throws: ConfigError.self) { try Configuration.load(path: file) }
        #expect(error.description == "\(file): not valid UTF-8 text")
    }

    @Test func emptyFileIsAllDefaults() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("config.yaml", "")
        let configuration = try Configuration.load(path: file)
        #expect(configuration == Configuration(file: file, store: StoreConfiguration(.sqlite(.init(path: directory.path + "/jobqueue.db")))))
    }
}
