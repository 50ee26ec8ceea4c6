import Foundation
import Testing

@testable import JobQueueConfig

@Suite("Topic config: → JSON")
struct PluginConfigJSONTests {
    private func pluginJSON(_ config: String) throws -> String {
        let configuration = try parseConfig("topics:\n  t:\n    config: \(config)\n")
        return try #require(configuration.topics.first).pluginConfigJSON
    }

    @Test func absentOrNullConfigIsAnEmptyObject() throws {
        #expect(try parseConfig("topics:\n  t: {}\n").topics[0].pluginConfigJSON == "{}")
        #expect(try pluginJSON("~") == "{}")
        #expect(try pluginJSON("{}") == "{}")
    }

    @Test func nestedValuesKeepTheirShapeAndOrder() throws {
        let json = try pluginJSON("{ z: 1, a: { list: [1, two, [], {}], deeper: { x: y } }, m: [] }")
        #expect(json == #"{"z":1,"a":{"list":[1,"two",[],{}],"deeper":{"x":"y"}},"m":[]}"#)
    }

    @Test func blockStyleConfigIsRenderedToo() throws {
        let configuration = try parseConfig(
            """
            topics:
              email:send:
                config:
                  outbox: outbox/
                  retry:
                    - 1
                    - "2"
                  banner: |
                    Hello
                    World

            """)
        #expect(configuration.topics[0].pluginConfigJSON == #"{"outbox":"outbox/","retry":[1,"2"],"banner":"Hello\nWorld\n"}"#)
    }

    @Test(arguments: [
        ("42", "42"), ("-7", "-7"), ("+7", "7"), ("007", "7"), ("0", "0"), ("-0", "0"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("0x1F", "31"), ("0o17", "15"),
        ("1.5", "1.5"), ("-0.25", "-0.25"), (".5", "0.5"), ("1.", "1.0"), ("+1e3", "1e3"), ("2.5E-3", "2.5e-3"), ("1e+10", "1e+10"),
        ("true", "true"), ("False", "false"), ("null", "null"), ("~", "null"), ("NULL", "null"),
        ("yes", #""yes""#), ("off", #""off""#), (".inf", #"".inf""#), (".nan", #"".nan""#), ("1_000", #""1_000""#),
        ("0x", #""0x""#), ("1e", #""1e""#), ("30s", #""30s""#),
        (#""42""#, #""42""#), ("'true'", #""true""#), (#""null""#, #""null""#), ("!!str 5", #""5""#),
    ])
    func plainScalarsAreTypedAndQuotedOnesAreStrings(yaml: String, json: String) throws {
        #expect(try pluginJSON("{ v: \(yaml) }") == #"{"v":\#(json)}"#)
    }

    @Test func emptyValueIsNull() throws {
        #expect(try pluginJSON("{ v: }") == #"{"v":null}"#)
    }

    @Test func stringsAreEscaped() throws {
        let json = try pluginJSON(#"{ "we\"ird key": "quote \" backslash \\ newline \n tab \t bell \a nul \0 del \x7f é 😀 \u2028" }"#)
        #expect(json == #"{"we\"ird key":"quote \" backslash \\ newline \n tab \t bell \u0007 nul \u0000 del \#u{7f} é 😀 \u2028"}"#)
    }

    @Test func outputIsValidJSONThatFoundationReadsBack() throws {
        let json = try pluginJSON(#"{ a: [1, 2.5, true, ~, "x\ny"], b: { c: .5, d: "\u0001" }, e: 1e3 }"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["a"] as? [Any] != nil)
        #expect((object["b"] as? [String: Any])?["d"] as? String == "\u{01}")
        #expect(object["e"] as? Double == 1000)
    }

    @Test func aliasesAreExpandedInConfig() throws {
        let configuration = try parseConfig(
            """
            topics:
              a:
                config: &shared { region: eu, retries: 2 }
              b:
                config: *shared

            """)
        #expect(configuration.topics.map(\.pluginConfigJSON) == [#"{"region":"eu","retries":2}"#, #"{"region":"eu","retries":2}"#])
    }
}
