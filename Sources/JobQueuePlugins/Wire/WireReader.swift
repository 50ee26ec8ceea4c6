/// Reads the fields of one received frame (see ``WireProtocol``); reading past the end throws.
struct WireReader {
    private let frame: [UInt8]
    private var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.frame = bytes
        self.offset = offset
    }

    /// Thrown when a frame is shorter than its fields say.
    struct Truncated: Error {}

    var isAtEnd: Bool { offset == frame.count }

    private mutating func take(_ count: Int) throws(Truncated) -> ArraySlice<UInt8> {
        guard count >= 0, frame.count - offset >= count else { throw Truncated() }
        defer { offset += count }
        return frame[offset..<offset + count]
    }

    mutating func u8() throws(Truncated) -> UInt8 { try take(1).first! }

    mutating func u32() throws(Truncated) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func i32() throws(Truncated) -> Int32 { Int32(bitPattern: try u32()) }

    mutating func u64() throws(Truncated) -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A `u32 length + bytes` field.
    mutating func bytes() throws(Truncated) -> [UInt8] { Array(try take(Int(try u32()))) }

    /// A `u32 length + UTF-8` field; invalid UTF-8 is repaired, not refused (it comes from plugins).
    mutating func string() throws(Truncated) -> String { String(decoding: try take(Int(try u32())), as: UTF8.self) }
}
