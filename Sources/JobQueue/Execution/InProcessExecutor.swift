import Foundation
import Synchronization

/// Runs jobs with Swift handlers registered per topic, inside this process: the executor for using
/// JobQueue as an embedded library, and for tests of the pipeline.
///
/// Handlers share the process, so a crash takes it down and a run past its timeout can only be
/// abandoned (its task is cancelled, and it is reported as timed out), not killed. For isolation,
/// run plugins through the host instead.
public final class InProcessExecutor: JobExecutor {
    /// Runs one job and says how it went; a thrown error counts as ``JobOutcome/error(_:)``.
    public typealias Handler = @Sendable (InProcessJob) async throws -> JobOutcome

    private struct Registration: Sendable {
        var policy: TopicPolicy
        var handler: Handler
    }

    private let registrations = Mutex<[String: Registration]>([:])
    /// The policy of topics not registered here (follow-up jobs for topics served elsewhere).
    public let defaults: TopicPolicy

    /// An executor serving no topic yet; `defaults` is the policy of topics not registered.
    public init(defaults: TopicPolicy = .default) {
        self.defaults = defaults
    }

    /// Serves `topic` with `handler`. A thrown error counts as `.error` with its description.
    public func register(_ topic: String, policy: TopicPolicy = .default, handler: @escaping Handler) {
        registrations.withLock { $0[topic] = Registration(policy: policy, handler: handler) }
    }

    /// Stops serving `topic`; its jobs stay queued.
    public func unregister(_ topic: String) {
        _ = registrations.withLock { $0.removeValue(forKey: topic) }
    }

    /// The registered topics with their policies, and ``defaults`` for the others.
    public var policies: TopicPolicies {
        TopicPolicies(registrations.withLock { $0.mapValues(\.policy) }, defaults: defaults)
    }

    /// Runs `batch` in order with the registered handlers. It stops at the first job whose topic
    /// is no longer registered, or when cancelled; the jobs it did not report go back uncharged.
    public func run(_ batch: [LeasedJob], report: @escaping @Sendable (JobID, JobCompletion) async -> Void) async {
        for job in batch {
            guard !Task.isCancelled, let registration = registrations.withLock({ $0[job.topic] }) else { return }
            let context = InProcessJob(job)
            guard let completion = await Self.completion(of: registration.handler, context, timeout: registration.policy.timeout) else { return }
            await report(job.id, completion)
        }
    }

    /// The handler's completion; a timeout if it runs too long; nil if this task is cancelled.
    private static func completion(of handler: @escaping Handler, _ job: InProcessJob, timeout: Duration?) async -> JobCompletion? {
        do {
            let outcome = try await withDeadline(timeout) {
                do {
                    return try await handler(job)
                } catch {
                    return .error(String(describing: error))
                }
            }
            return JobCompletion(outcome, followUps: job.followUps)
        } catch let exceeded as DeadlineExceeded {
            return JobCompletion(.error("timed out after \(exceeded.timeout)"), interruption: .timedOut)
        } catch {
            return nil  // cancelled: shutdown grace is over
        }
    }
}
