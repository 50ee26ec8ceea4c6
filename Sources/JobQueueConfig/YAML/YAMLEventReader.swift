import CYAML

/// Reads a YAML text as a stream of events with libyaml's event parser (`yaml_parser_parse`).
///
/// The event API, rather than libyaml's document loader, lets `YAMLTreeBuilder` keep every node's
/// position and bound alias expansion itself. A syntax error becomes a `ConfigError` in words
/// (see `YAMLEventReader+SyntaxError.swift`).
final class YAMLEventReader {
    /// The name errors carry.
    let file: String
    /// The UTF-8 text, kept to explain syntax errors (a tab in the indentation, say).
    let source: [UInt8]
    /// Heap-allocated because libyaml keeps a pointer to the parser inside the parser.
    let parser: UnsafeMutablePointer<yaml_parser_t>
    /// The input libyaml reads from; must outlive the parser.
    private let input: UnsafeMutableBufferPointer<UInt8>

    init(text: String, file: String) {
        self.file = file
        source = Array(text.utf8)
        input = .allocate(capacity: max(source.count, 1))
        _ = input.initialize(from: source)
        parser = .allocate(capacity: 1)
        // Fails only when malloc does; there is nothing sensible to do then.
        precondition(yaml_parser_initialize(parser) == 1, "libyaml could not allocate a parser")
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, source.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event. After `.streamEnd` or an error the reader must not be asked again.
    func next() throws(ConfigError) -> YAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError() }
        defer { yaml_event_delete(&event) }
        return YAMLEvent(kind: Self.kind(of: event), mark: Self.mark(event.start_mark))
    }

    /// libyaml counts from 0; people count from 1.
    static func mark(_ mark: yaml_mark_t) -> Mark {
        Mark(line: mark.line + 1, column: mark.column + 1)
    }

    private static func kind(of event: yaml_event_t) -> YAMLEvent.Kind {
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return .streamStart
        case YAML_DOCUMENT_START_EVENT:
            return .documentStart
        case YAML_DOCUMENT_END_EVENT:
            return .documentEnd
        case YAML_ALIAS_EVENT:
            return .alias(anchor: string(event.data.alias.anchor) ?? "")
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let style: YAMLNode.ScalarStyle = scalar.style == YAML_PLAIN_SCALAR_STYLE ? .plain : .quoted
            return .scalar(value, style: style, anchor: string(scalar.anchor), tag: string(scalar.tag))
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return .sequenceStart(anchor: string(start.anchor), tag: string(start.tag))
        case YAML_SEQUENCE_END_EVENT:
            return .sequenceEnd
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return .mappingStart(anchor: string(start.anchor), tag: string(start.tag))
        case YAML_MAPPING_END_EVENT:
            return .mappingEnd
        default:
            // YAML_STREAM_END_EVENT; YAML_NO_EVENT is never returned by a successful parse.
            return .streamEnd
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
