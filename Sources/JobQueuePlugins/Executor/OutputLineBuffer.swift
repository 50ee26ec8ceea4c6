/// Turns a child's stdout or stderr chunks into lines for the log. Bytes after the last newline
/// wait for the next chunk; a line longer than `maxLine` is cut into pieces.
struct OutputLineBuffer {
    static let maxLine = 16 * 1024
    private var pending: [UInt8] = []

    /// The complete lines `chunk` finishes, without their newlines.
    mutating func lines(adding chunk: [UInt8]) -> [String] {
        pending.append(contentsOf: chunk)
        var lines: [String] = []
        var start = 0
        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[start..<newline], as: UTF8.self))
            start = newline + 1
        }
        pending.removeFirst(start)
        while pending.count > Self.maxLine {
            lines.append(String(decoding: pending.prefix(Self.maxLine), as: UTF8.self))
            pending.removeFirst(Self.maxLine)
        }
        return lines
    }

    /// Whatever is left without a newline (at the end of the batch).
    mutating func flush() -> String? {
        defer { pending = [] }
        return pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self)
    }
}
