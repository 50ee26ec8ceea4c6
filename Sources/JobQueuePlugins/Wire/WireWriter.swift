/// Builds one frame of the fork server protocol (see ``WireProtocol``).
struct WireWriter {
    private(set) var bytes: [UInt8]

    /// Starts a frame of `type`; the length is filled in by ``finished``.
    init(_ type: WireProtocol.CommandType) {
        bytes = [0, 0, 0, 0, type.rawValue]
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// `u32 length + bytes`.
    mutating func bytes(_ value: some Collection<UInt8>) {
        u32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    /// `u32 length + UTF-8 bytes`.
    mutating func string(_ value: String) { bytes(value.utf8) }

    /// The frame with its length written in.
    var finished: [UInt8] {
        var frame = bytes
        let length = UInt32(frame.count - 4).littleEndian
        withUnsafeBytes(of: length) { frame.replaceSubrange(0..<4, with: $0) }
        return frame
    }
}
