import CYAML

extension YAMLEventReader {
    /// The error libyaml just reported, located and put in plain words.
    ///
    /// libyaml describes a problem as `problem` (at `problem_mark`) found `context` (a construct
    /// that started at `context_mark`), in parser terms like "did not find expected key while
    /// parsing a block mapping". The common ones are rephrased in terms of what to fix; the rest
    /// keep libyaml's wording. A tab in the indentation of the offending line is named as the
    /// cause, since YAML forbids tabs there and libyaml's own message rarely says so.
    func syntaxError() -> ConfigError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "invalid YAML"
        if state.error == YAML_READER_ERROR {
            return ConfigError(file: file, at: mark(atByteOffset: state.problem_offset), Self.readerMessage(problem))
        }
        let mark = Self.mark(state.problem_mark)
        if let tab = indentationTab(onLine: mark.line) {
            return ConfigError(file: file, at: tab, "tabs are not allowed for indentation; use spaces")
        }
        let context = state.context.map { String(cString: $0) }
        let contextLine = Self.mark(state.context_mark).line
        let message = Self.message(problem: problem, context: context, contextLine: contextLine, found: character(at: mark))
        return ConfigError(file: file, at: mark, message)
    }

    private static func message(problem: String, context: String?, contextLine: Int, found: Character?) -> String {
        switch problem {
        case "did not find expected key":
            return "expected another key of the mapping that starts at line \(contextLine); check the indentation"
        case "did not find expected '-' indicator":
            return "expected another '- ' item of the list that starts at line \(contextLine); check the indentation"
        case "did not find expected ',' or ']'":
            return "expected ',' or ']' in the [ ] list opened at line \(contextLine)"
        case "did not find expected ',' or '}'":
            return "expected ',' or '}' in the { } mapping opened at line \(contextLine)"
        case "did not find expected node content":
            return "expected a value here"
        case "could not find expected ':'":
            return "expected ':' after the key at line \(contextLine)"
        case "mapping values are not allowed in this context":
            return "unexpected ':' here; quote a value that contains ': ', or check the indentation"
        case "block sequence entries are not allowed in this context":
            return "unexpected '- ' list item here; check the indentation"
        case "found unexpected end of stream" where context == "while scanning a quoted scalar":
            return "the quoted text that starts at line \(contextLine) is never closed"
        case "found unknown escape character":
            return "unknown escape sequence in double-quoted text; use single quotes, or '\\\\' for a backslash"
        case "found a tab character that violates indentation", "found a tab character where an indentation space is expected":
            return "tabs are not allowed for indentation; use spaces"
        case "found character that cannot start any token":
            guard let found else { break }
            if found == "\t" { return "tabs are not allowed for indentation; use spaces" }
            return "\(String(found).quotedForMessage()) cannot start a value; put the value in quotes"
        case "found undefined tag handle":
            return "unknown tag handle; only !!str is supported"
        default:
            break
        }
        guard let context else { return problem }
        return "\(problem) (\(context) that starts at line \(contextLine))"
    }

    private static func readerMessage(_ problem: String) -> String {
        switch problem {
        case "control characters are not allowed": "control characters are not allowed in YAML; remove them or write them as escapes in double quotes"
        case _ where problem.contains("UTF-8"): "the text is not valid UTF-8"
        default: problem
        }
    }

    /// The position of the first tab among the leading blanks of `line`, if any.
    private func indentationTab(onLine line: Int) -> Mark? {
        guard let text = sourceLine(line) else { return nil }
        let blanks = text.prefix { $0 == " " || $0 == "\t" }
        guard let offset = blanks.firstIndex(of: "\t").map({ blanks.distance(from: blanks.startIndex, to: $0) }) else { return nil }
        return Mark(line: line, column: offset + 1)
    }

    private func character(at mark: Mark) -> Character? {
        guard let text = sourceLine(mark.line) else { return nil }
        let scalars = text.unicodeScalars
        guard mark.column - 1 < scalars.count else { return nil }
        return Character(scalars[scalars.index(scalars.startIndex, offsetBy: mark.column - 1)])
    }

    /// The text of 1-based `line`, without its line break.
    private func sourceLine(_ line: Int) -> Substring? {
        let lines = source.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        return Substring(String(decoding: lines[line - 1], as: UTF8.self))
    }

    /// The position of a byte offset, for libyaml's reader errors, which report only that.
    private func mark(atByteOffset offset: Int) -> Mark {
        let before = source.prefix(min(offset, source.count))
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let column = String(decoding: source[lineStart..<before.endIndex], as: UTF8.self).unicodeScalars.count + 1
        return Mark(line: line, column: column)
    }
}
