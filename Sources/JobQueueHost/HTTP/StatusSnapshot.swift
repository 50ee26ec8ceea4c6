import JobQueue

/// The store's counts (`status`) as the dashboard and `/metrics` show them: read in the background
/// and kept for a moment, so that many page refreshes and scrapers share one read.
///
/// The stores keep their counts in step with their writes (per queue: jobs, dead letters, leased
/// and scheduled jobs), so a read costs one row per queue with jobs or dead letters, whatever the
/// number of jobs. A request gets the snapshot at hand at once; one that finds it older than
/// ``maxAge`` also starts a new read. `maxAge` grows with how long a read takes (10 times, at
/// least ``minimumAge``, 1 s), so that reading the counts of a very large number of queues costs
/// at most a tenth of one core, and only while someone looks (a page open, a scraper). What the
/// readers derive from the counts (totals per topic, the tenants in each order, their search keys)
/// is computed once per read, so that with 100,000 tenants a request only pages.
actor StatusSnapshot {
    /// Jobs of one queue, topic or the whole store, by state.
    struct Counts: Encodable, Sendable, Equatable {
        /// `ready` counts the jobs of queues that are not paused; `paused`, those of paused ones.
        var ready = 0, scheduled = 0, leased = 0, running = 0, dead = 0, cancelled = 0, paused = 0

        mutating func add(_ other: Counts) {
            ready += other.ready
            scheduled += other.scheduled
            leased += other.leased
            running += other.running
            dead += other.dead
            cancelled += other.cancelled
            paused += other.paused
        }
    }

    /// One queue and topic (a tenant's queue) with its counts and, when it has ready work no host
    /// has taken yet, how long that has waited (its pointer's age, as the lag gauges read it).
    struct Tenant: Sendable {
        var queue: String
        var topic: String
        var counts: Counts
        var lag: Duration?
    }

    /// The orders the tenants can be listed in.
    enum Order: String, CaseIterable, Sendable {
        case queue, lag, ready, scheduled, leased, dead
    }

    /// One count and what is derived from it.
    struct Counted: Sendable {
        var status: StoreStatus
        /// When the count began.
        var at: Timestamp
        /// By queue, then topic.
        var tenants: [Tenant]
        /// Per topic: its counts and how many queues it has.
        var topics: [String: (counts: Counts, queues: Int)]
        var totals: Counts
        /// Each tenant's "queue\ntopic", lowercased, as UTF-8, for searches.
        var searchKeys: [[UInt8]]
        /// Indices into `tenants`, per order (counts largest first).
        var orders: [Order: [Int]]

        /// The counts of `status` taken at `at`, with each ready tenant's wait from `lag`.
        init(status: StoreStatus, at: Timestamp, lag: ReadyLag = ReadyLag()) {
            self.status = status
            self.at = at
            let running = status.runningByQueue
            let waits = Dictionary(lag.queues.map { ($0.queue, $0.wait) }, uniquingKeysWith: max)
            tenants = status.queues.map { queue in
                let key = QueueKey(queueID: queue.queueID, topic: queue.topic)
                let paused = status.isPaused(key)
                return Tenant(
                    queue: queue.queueID, topic: queue.topic,
                    counts: Counts(
                        ready: paused ? 0 : queue.ready, scheduled: queue.scheduled, leased: queue.leased, running: running[key] ?? 0,
                        dead: queue.dead, cancelled: queue.cancelled, paused: paused ? queue.ready : 0),
                    lag: waits[key])
            }
            var topics: [String: (counts: Counts, queues: Int)] = [:]
            var totals = Counts()
            for tenant in tenants {
                topics[tenant.topic, default: (Counts(), 0)].counts.add(tenant.counts)
                topics[tenant.topic, default: (Counts(), 0)].queues += 1
                totals.add(tenant.counts)
            }
            self.topics = topics
            self.totals = totals
            searchKeys = tenants.map { Array("\($0.queue)\n\($0.topic)".lowercased().utf8) }
            var orders: [Order: [Int]] = [.queue: Array(tenants.indices)]
            let tenants = tenants
            for order in Order.allCases where order != .queue {
                let value: (Tenant) -> Int64 =
                    switch order {
                    case .lag: { $0.lag?.milliseconds ?? -1 }
                    case .ready: { Int64($0.counts.ready) }
                    case .scheduled: { Int64($0.counts.scheduled) }
                    case .leased: { Int64($0.counts.leased) }
                    default: { Int64($0.counts.dead) }
                    }
                // Largest first; equal values by queue (the tenants' own order).
                orders[order] = tenants.indices.sorted { (value(tenants[$0]), $1) > (value(tenants[$1]), $0) }
            }
            self.orders = orders
        }
    }

    static let minimumAge: Duration = .seconds(1)

    /// The indices among `indices` of the tenants whose queue or topic contains `text`, ignoring
    /// case: a byte search over the prepared keys, a few milliseconds for 100,000 tenants.
    nonisolated static func tenants(_ indices: [Int], in counted: Counted, containing text: String) -> [Int] {
        let needle = Array(text.lowercased().utf8)
        return indices.filter { contains(counted.searchKeys[$0], needle) }
    }

    private nonisolated static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        return haystack.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { needle in
                for start in 0...(haystack.count - needle.count) where haystack[start] == first {
                    var matched = 1
                    while matched < needle.count && haystack[start + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return true }
                }
                return false
            }
        }
    }

    private var current: Counted?
    private var took: Duration = .zero
    /// The count in progress: at most one at a time, whoever asked.
    private var counting: Task<Counted, any Error>?

    /// Longest a snapshot is served before a new count starts.
    var maxAge: Duration { max(Self.minimumAge, took * 10) }

    /// The latest counts. A snapshot older than ``maxAge`` is still served while a new count
    /// runs; only the very first call waits for one.
    func counts(from store: any JobStore) async throws -> Counted {
        if let current, Timestamp.now - current.at <= maxAge { return current }
        let count = counting ?? newCount(store)
        if let current { return current }
        return try await count.value
    }

    private func newCount(_ store: any JobStore) -> Task<Counted, any Error> {
        let count = Task {
            let began = ContinuousClock.now
            let at = Timestamp.now
            do {
                // Every ready tenant's wait, from the pointer index (one row per ready queue).
                let lag = try await store.readyLag(now: at, queues: Int(Int32.max))
                let counted = await Self.derive(try await store.status(now: at), at: at, lag: lag)
                finish(counted, took: ContinuousClock.now - began)
                return counted
            } catch {
                finish(nil, took: .zero)
                throw error
            }
        }
        counting = count
        return count
    }

    /// Forgets the counts after an operator changed what they show (a pause, a cancel): the next
    /// request waits for a new count instead of showing the old one.
    func expire() {
        current = nil
        counting = nil  // a count in flight may have begun before the change
    }

    /// The count ended: with its result, or nil when it failed (the next request tries again).
    private func finish(_ counted: Counted?, took: Duration) {
        counting = nil
        guard let counted else { return }
        self.took = took
        current = counted
    }

    /// `Counted` from a count, computed off the actor (it takes a while with many tenants).
    private nonisolated static func derive(_ status: StoreStatus, at: Timestamp, lag: ReadyLag) async -> Counted {
        Counted(status: status, at: at, lag: lag)
    }
}
