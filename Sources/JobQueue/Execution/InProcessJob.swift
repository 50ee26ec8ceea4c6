import Foundation
import Synchronization

/// What an in-process handler receives: the payload, the run's metadata, and a way to enqueue
/// follow-up jobs that are stored only if this run succeeds, atomically with its completion.
public final class InProcessJob: Sendable {
    /// The job's payload bytes.
    public let payload: [UInt8]
    /// The job's topic, queue, id and attempt.
    public let metadata: LeasedJob.Metadata
    private let pending = Mutex<[NewJob]>([])

    init(_ job: LeasedJob) {
        self.payload = job.payload
        self.metadata = job.metadata
    }

    /// Decodes the payload as JSON.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(payload))
    }

    /// Adds a follow-up job, committed together with this run's success.
    public func enqueue(_ job: NewJob) {
        pending.withLock { $0.append(job) }
    }

    var followUps: [NewJob] { pending.withLock { $0 } }
}
