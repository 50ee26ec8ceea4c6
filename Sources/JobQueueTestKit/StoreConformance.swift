import JobQueue
import Testing

/// The `JobStore` contract as a suite that every backend runs against itself, as River's drivers
/// run riverdrivertest: what the pipeline, the CLI and the library rely on (queue order,
/// scheduling, the pointer index's fairness, leases and their expiry, settlement, follow-ups,
/// dead letters, a job's history and retention, concurrent enqueues and takes, batch limits,
/// unique keys, pauses and cancellations, limits). Both
/// built-in stores run it; a new backend's tests add:
///
/// ```swift
/// import JobQueueTestKit
/// import Testing
///
/// @Test(arguments: StoreConformance.checks)
/// func myStoreConforms(_ check: StoreConformance.Check) async throws {
///     try await check.run(on: try await MyStore.openEmpty())
/// }
/// ```
///
/// Failures are recorded with Swift Testing's `#expect`, at the check's line in this kit.
public enum StoreConformance {
    /// One check of the contract.
    public struct Check: Sendable, CustomTestStringConvertible {
        /// What the check shows, as a sentence in camel case.
        public let name: String
        let body: @Sendable (any JobStore) async throws -> Void

        init(_ name: String, _ body: @escaping @Sendable (any JobStore) async throws -> Void) {
            self.name = name
            self.body = body
        }

        public var testDescription: String { name }

        /// Runs the check on `store`, which must be new and empty, and closes it afterwards.
        public func run(on store: any JobStore) async throws {
            do {
                try await body(store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }

    /// Every check, in a stable order.
    public static var checks: [Check] { all + historyChecks + controlChecks + limitChecks + countChecks }
}
