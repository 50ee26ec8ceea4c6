#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension JobWorker {
    /// Payloads are JSON by convention.
    public static func decodePayload(_ bytes: [UInt8]) throws -> Payload {
        try JSONDecoder().decode(Payload.self, from: Data(bytes))
    }
}

extension JobWorker where Payload == String {
    /// A `String` payload is the raw text, which must be valid UTF-8.
    public static func decodePayload(_ bytes: [UInt8]) throws -> Payload {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw PayloadDecodingError.invalidUTF8
        }
        return text
    }
}

extension JobWorker where Payload == [UInt8] {
    /// A `[UInt8]` payload is the raw bytes.
    public static func decodePayload(_ bytes: [UInt8]) throws -> Payload { bytes }
}

/// Why a payload could not be turned into the worker's `Payload`.
public enum PayloadDecodingError: Error, CustomStringConvertible {
    /// A `String` payload whose bytes are not valid UTF-8.
    case invalidUTF8

    /// The reason, as the discarded job's dead letter shows it.
    public var description: String {
        switch self {
        case .invalidUTF8: "payload is not valid UTF-8 text"
        }
    }
}
