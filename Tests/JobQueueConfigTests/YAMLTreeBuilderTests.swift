import Testing

@testable import JobQueueConfig

@Suite("YAML → located nodes")
struct YAMLTreeBuilderTests {
    private func document(_ yaml: String) throws(ConfigError) -> YAMLNode? {
        try YAMLTreeBuilder.document(from: yaml, file: "config.yaml")
    }

    private func errorDescription(_ yaml: String) -> String? {
        do {
            _ = try document(yaml)
            Issue.record("expected an error for \(yaml.debugDescription)")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func buildsMappingsSequencesAndScalarsWithMarks() throws {
        let node = try #require(try document("a: 1\nb:\n  - x\n  - 'y'\nc: {d: e}\n"))
        let expected = YAMLNode(
            .mapping([
                (
                    key: YAMLNode(.scalar("a", style: .plain), at: Mark(line: 1, column: 1)),
                    value: YAMLNode(.scalar("1", style: .plain), at: Mark(line: 1, column: 4))
                ),
                (
                    key: YAMLNode(.scalar("b", style: .plain), at: Mark(line: 2, column: 1)),
                    value: YAMLNode(
                        .sequence([
                            YAMLNode(.scalar("x", style: .plain), at: Mark(line: 3, column: 5)),
                            YAMLNode(.scalar("y", style: .quoted), at: Mark(line: 4, column: 5)),
                        ]), at: Mark(line: 3, column: 3))
                ),
                (
                    key: YAMLNode(.scalar("c", style: .plain), at: Mark(line: 5, column: 1)),
                    value: YAMLNode(
                        .mapping([
                            (
                                key: YAMLNode(.scalar("d", style: .plain), at: Mark(line: 5, column: 5)),
                                value: YAMLNode(.scalar("e", style: .plain), at: Mark(line: 5, column: 8))
                            )
                        ]), at: Mark(line: 5, column: 4))
                ),
            ]), at: Mark(line: 1, column: 1))
        #expect(node == expected)
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let node = try #require(try document("é: ü\n"))
        guard case .mapping(let entries) = node.content else { Issue.record("not a mapping"); return }
        #expect(entries[0].value.mark == Mark(line: 1, column: 4))
    }

    @Test(arguments: ["", "# only a comment\n", "\n\n"])
    func emptyTextHasNoDocument(yaml: String) throws {
        #expect(try document(yaml) == nil)
    }

    @Test func aliasesAreExpandedAtTheAliasPosition() throws {
        let node = try #require(try document("a: &x [1, 2]\nb: *x\n"))
        guard case .mapping(let entries) = node.content, case .sequence(let items) = entries[1].value.content else {
            Issue.record("unexpected shape"); return
        }
        #expect(items.map(\.scalarText) == ["1", "2"])
        #expect(entries[1].value.mark == Mark(line: 2, column: 4))
    }

    @Test func strTagMakesAPlainScalarText() throws {
        let node = try #require(try document("a: !!str 5\n"))
        guard case .mapping(let entries) = node.content else { Issue.record("not a mapping"); return }
        #expect(entries[0].value.json == "\"5\"")
    }

    @Test func duplicateKeysNameBothLines() {
        #expect(
            errorDescription("consumer:\n  lease: 1s\n  poll: 1s\n  lease: 2s\n")
                == "config.yaml:4:3: duplicate key 'lease' (first at line 2)")
    }

    @Test(arguments: [
        ("consumer:\n\tlease: 1s\n", "config.yaml:2:1: tabs are not allowed for indentation; use spaces"),
        ("consumer:\n  lease: 1s\n\tpoll: 1s\n", "config.yaml:3:1: tabs are not allowed for indentation; use spaces"),
        ("consumer:\n  \tlease: 1s\n", "config.yaml:2:3: tabs are not allowed for indentation; use spaces"),
    ])
    func tabsInIndentationAreNamed(yaml: String, expected: String) {
        #expect(errorDescription(yaml) == expected)
    }

    @Test(arguments: [
        ("consumer: [1, 2\n", "config.yaml:2:1: expected ',' or ']' in the [ ] list opened at line 1"),
        ("consumer: {lease: 1s\n", "config.yaml:2:1: expected ',' or '}' in the { } mapping opened at line 1"),
        ("a: 'abc\nb: 2\n", "config.yaml:3:1: the quoted text that starts at line 1 is never closed"),
        ("a: b: c\n", "config.yaml:1:5: unexpected ':' here; quote a value that contains ': ', or check the indentation"),
        ("a:\n  b: 1\n c: 2\n", "config.yaml:3:2: expected another key of the mapping that starts at line 1; check the indentation"),
        ("a: @x\n", "config.yaml:1:4: '@' cannot start a value; put the value in quotes"),
        ("a: \"\\q\"\n", "config.yaml:1:5: unknown escape sequence in double-quoted text; use single quotes, or '\\\\' for a backslash"),
        ("a: 1\n---\nb: 2\n", "config.yaml:2:1: a config file holds a single YAML document; remove the second '---'"),
        ("a: !!int 5\n", "config.yaml:1:4: unsupported tag '!!int'; only !!str is supported"),
        ("a: \u{01}\n", "config.yaml:1:4: control characters are not allowed in YAML; remove them or write them as escapes in double quotes"),
        ("? [a, b]\n: c\n", "config.yaml:1:3: a mapping key must be text, not a list"),
    ])
    func syntaxErrorsAreLocatedAndReadable(yaml: String, expected: String) {
        #expect(errorDescription(yaml) == expected)
    }

    @Test func unknownAliasIsAnError() {
        #expect(errorDescription("a: *nope\n") == "config.yaml:1:4: unknown alias '*nope'; an anchor '&nope' must come before it")
    }

    @Test func recursiveAliasIsAnError() {
        #expect(
            errorDescription("a: &x [1, *x]\n")
                == "config.yaml:1:11: alias '*x' refers to a node that contains it; recursive aliases are not supported")
    }

    @Test func mergeKeysAreRejected() {
        #expect(
            errorDescription("base: &b {lease: 1s}\nconsumer:\n  <<: *b\n")
                == "config.yaml:3:3: merge keys ('<<') are not supported; write the keys out, or use an alias for the whole value")
    }

    @Test func quotedMergeKeyIsAnOrdinaryKey() throws {
        #expect(try document("'<<': 1\n") != nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func billionLaughsIsBoundedQuickly() {
        var yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            yaml += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let description = errorDescription(yaml)
        #expect(description?.hasSuffix(": alias expansion exceeds 10000 nodes (billion laughs?)") == true)
        #expect(description?.hasPrefix("config.yaml:4:") == true)
    }

    @Test func aliasExpansionBelowTheLimitIsFine() throws {
        // 99 aliases of a 101-node list: 9,999 nodes created by expansion.
        let yaml =
            "a: &a [" + Array(repeating: "x", count: 100).joined(separator: ", ") + "]\n"
            + "b: [" + Array(repeating: "*a", count: 99).joined(separator: ", ") + "]\n"
        #expect(try document(yaml) != nil)
        #expect(
            errorDescription(yaml.replacingOccurrences(of: "*a]", with: "*a, *a]"))?
                .hasSuffix("alias expansion exceeds 10000 nodes (billion laughs?)") == true)
    }

    @Test func nestingIsLimitedTo64Levels() throws {
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try document(allowed) != nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(errorDescription(tooDeep) == "config.yaml:1:65: nesting is deeper than 64 levels")
    }

    @Test func aliasesCannotExceedTheNestingLimit() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let yaml = "a: &deep \(deep)\nb: \(String(repeating: "[", count: 30))*deep\(String(repeating: "]", count: 30))\n"
        #expect(errorDescription(yaml) == "config.yaml:2:34: nesting is deeper than 64 levels")
    }
}
