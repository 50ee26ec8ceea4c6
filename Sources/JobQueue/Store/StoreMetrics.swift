import Metrics

/// What the stores measure, through the swift-metrics API: nothing is recorded unless the
/// process bootstraps a metrics backend (the host does, for `/metrics`).
package enum StoreMetrics {
    /// `jobqueue_store_commit_seconds{store}`: how long a write transaction takes, commit
    /// included (SQLite: one group commit, fsync included; PostgreSQL: BEGIN to COMMIT).
    package static func commitTimer(store: String) -> Timer {
        Timer(label: "jobqueue_store_commit_seconds", dimensions: [("store", store)], preferredDisplayUnit: .seconds)
    }
}

extension Timer {
    /// Records the time since `start`.
    package func recordElapsed(since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
