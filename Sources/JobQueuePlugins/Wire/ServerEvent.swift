import JobQueue
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// An event from the fork server, decoded.
enum ServerEvent {
    /// The answer to a LOAD, one result per plugin in the order they were sent.
    case loaded([PluginLoadResult])
    /// Something about one batch.
    case batch(UInt64, BatchEvent)

    /// Thrown for a frame the host does not understand: the server and host disagree.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// Decodes `frame`: the type byte and the fields, without the length prefix.
    init(frame: [UInt8]) throws(Malformed) {
        var reader = WireReader(frame)
        do {
            guard let type = WireProtocol.EventType(rawValue: try reader.u8()) else {
                throw Malformed(description: "unknown event type \(frame.first ?? 0)")
            }
            if type == .loaded {
                let count = try reader.u32()
                var results: [PluginLoadResult] = []
                for _ in 0..<count {
                    let topic = try reader.string()
                    let ok = try reader.u8() != 0
                    let message = try reader.string()
                    let text = message.isEmpty ? nil : message
                    results.append(PluginLoadResult(topic: topic, failure: ok ? nil : text ?? "failed", notice: ok ? text : nil))
                }
                self = .loaded(results)
                return
            }
            let batch = try reader.u64()
            self = .batch(batch, try Self.batchEvent(type, &reader))
        } catch is WireReader.Truncated {
            throw Malformed(description: "truncated event frame of type \(frame.first ?? 0)")
        } catch let error as Malformed {
            throw error
        } catch {
            throw Malformed(description: "\(error)")
        }
    }

    private static func batchEvent(_ type: WireProtocol.EventType, _ reader: inout WireReader) throws -> BatchEvent {
        switch type {
        case .loaded:
            throw Malformed(description: "LOADED is not a batch event")
        case .started:
            return .started(pid: pid_t(bitPattern: try reader.u32()))
        case .begin:
            return .begin(index: Int(try reader.u32()))
        case .outcome:
            let index = Int(try reader.u32())
            return .outcome(index: index, try PluginOutcome(reading: &reader))
        case .log:
            let index = Int(try reader.u32())
            let level = Logger.Level(pluginLevel: try reader.u8())
            return .log(index: index, level: level, message: try reader.string())
        case .output:
            let stream: ChildStream = try reader.u8() == 2 ? .stderr : .stdout
            return .output(stream, try reader.bytes())
        case .exited:
            return .exited(WaitStatus(rawValue: try reader.i32()))
        case .rejected:
            return .rejected(try reader.string())
        case .progress:
            let index = Int(try reader.u32())
            let percent = Int(try reader.u8())
            return .progress(index: index, JobProgress(percent: percent, message: try reader.string()))
        }
    }
}
