import JobQueue

/// The store's counts (`status`) as the dashboard and `/metrics` show them: counted in the
/// background and kept, because counting reads every queued job (a GROUP BY over the jobs table)
/// and a page refresh or a scrape must not pay for that each time.
///
/// A request gets the snapshot at hand at once; one that finds it older than ``maxAge`` also
/// starts a new count. `maxAge` grows with how long a count takes (20 times, at least
/// ``minimumAge``), so counting a large store costs at most about a twentieth of one core.
actor StatusSnapshot {
    struct Counted: Sendable {
        var status: StoreStatus
        /// When the count began.
        var at: Timestamp
    }

    static let minimumAge: Duration = .seconds(2)

    private var current: Counted?
    private var took: Duration = .zero
    private var counting: Task<Void, Never>?

    /// Longest a snapshot is served before a new count starts.
    var maxAge: Duration { max(Self.minimumAge, took * 20) }

    /// The latest counts; the first call waits for a count.
    func counts(from store: any JobStore) async throws -> Counted {
        if let current {
            if Timestamp.now - current.at > maxAge, counting == nil {
                counting = Task { try? await self.count(store) }
            }
            return current
        }
        try await count(store)
        return current!
    }

    private func count(_ store: any JobStore) async throws {
        defer { counting = nil }
        let began = ContinuousClock.now
        let at = Timestamp.now
        let status = try await store.status(now: at)
        took = ContinuousClock.now - began
        if current.map({ $0.at < at }) ?? true { current = Counted(status: status, at: at) }
    }
}
