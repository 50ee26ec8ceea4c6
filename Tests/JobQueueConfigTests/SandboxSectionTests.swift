import JobQueue
import Testing

@testable import JobQueueConfig

/// A topic's `sandbox:`: absent means none; paths are made absolute against the config's folder;
/// a list item that is not a path is refused, naming its place.
@Suite struct SandboxSectionTests {
    static func topic(_ sandbox: String) -> String {
        "topics:\n  thumbs:\n    plugin: libthumbs.so\n    sandbox: \(sandbox)\n"
    }

    @Test func absentMeansNoSandboxAndEmptyMeansOneThatConfinesNothing() throws {
        #expect(try parseConfig("topics:\n  thumbs: { plugin: libthumbs.so }\n").topics[0].sandbox == nil)
        #expect(try parseConfig(Self.topic("{}")).topics[0].sandbox == PluginSandbox())
    }

    @Test func readsEveryKeyAndResolvesPathsAgainstTheConfigsFolder() throws {
        let sandbox = try parseConfig(Self.topic("{ network: false, writable: [out, /var/lib/thumbs], readable: [], landlock_abi: 3 }"))
            .topics[0].sandbox
        #expect(
            sandbox == PluginSandbox(network: false, writable: [testBaseDirectory + "/out", "/var/lib/thumbs"], readable: [], landlockABI: 3))
    }

    @Test func badValuesNameTheirPlace() {
        #expect(
            parseErrorDescription(Self.topic("{ writable: /var/lib/thumbs }"))
                == "config.yaml:4:26: topics.thumbs.sandbox.writable must be a list of paths, like [/var/lib/thumbs], got '/var/lib/thumbs'")
        #expect(
            parseErrorDescription(Self.topic("{ readable: [/usr, [nested]] }"))
                == "config.yaml:4:33: topics.thumbs.sandbox.readable must be a list of paths, like [/var/lib/thumbs], got a list")
        #expect(
            parseErrorDescription(Self.topic("{ writable: [\"a\\nb\"] }"))
                == "config.yaml:4:27: topics.thumbs.sandbox.writable: a path must not contain a line break or a NUL")
        #expect(parseErrorDescription(Self.topic("{ writable: [\"/x\\0\"] }"))?.hasSuffix("must not contain a line break or a NUL") == true)
        #expect(
            parseErrorDescription(Self.topic("{ landlock_abi: 0 }"))
                == "config.yaml:4:30: topics.thumbs.sandbox.landlock_abi must be between 1 and 1000, got 0")
        #expect(parseErrorDescription(Self.topic("{ network: none }"))?.contains("topics.thumbs.sandbox.network must be true or false") == true)
        #expect(parseErrorDescription(Self.topic("{ writeable: [] }"))?.contains("(did you mean 'writable'?)") == true)
    }
}
