import JobQueue

/// What the dashboard's JSON API answers (snake_case keys, times in RFC 3339).
enum DashboardViews {
    typealias Counts = StatusSnapshot.Counts

    struct Overview: Encodable {
        struct Topic: Encodable {
            var topic: String
            var counts: Counts
            var queues: Int
            /// How long its longest-waiting ready queue has waited; 0 when none is ready.
            var lagSeconds: Double
            var served: Bool
            /// The whole topic is paused.
            var paused: Bool
            /// The whole topic is held back by its `max_running` or `rate`.
            var held: Bool
        }
        struct Tenant: Encodable {
            var queue: String, topic: String
            var lagSeconds: Double
        }
        struct Host: Encodable {
            var id: String, hostname: String, pid: Int32
            var topics: [String]
            var startedAt: String, seenAt: String
            var running: Int
            var stopping: Bool
            /// Its plugin generation: 1 at start, one more per reload.
            var generation: Int
            /// Why its last reload was refused, if it was.
            var note: String?
            /// The latest progress its running jobs reported.
            var progress: [RunningProgress]
        }
        struct Schedule: Encodable {
            var name: String, topic: String, queue: String
            /// `cron 0 3 * * * UTC` or `every 30s`.
            var trigger: String
            var lastTick: String?, nextTick: String?
        }
        struct Minute: Encodable {
            var minute: String
            var ok: Int, failed: Int
        }
        var version: String
        /// This host's plugin generation.
        var generation: Int
        var showPayloads: Bool
        /// When the counts (totals, topics, hosts) were taken: they are refreshed in the
        /// background (see `StatusSnapshot`).
        var countedAt: String
        var totals: Counts
        var topics: [Topic]
        /// The tenants that have waited longest (from the pointer index).
        var longestWaiting: [Tenant]
        var hosts: [Host]
        /// This host's runs per minute over the last hour.
        var throughput: [Minute]
        /// The schedules this host ticks, with their last tick (by any host) and their next.
        var schedules: [Schedule]
        /// Topics and tenants whose ready jobs wait because a limit of this host's config is reached.
        var held: [LimitHold]
    }

    struct Queues: Encodable {
        struct Row: Encodable {
            var queue: String, topic: String
            var counts: Counts
            /// How long its ready work had waited when counted; nil when none waits.
            var lagSeconds: Double?
        }
        /// Rows matching the search, on every page.
        var total: Int
        var page: Int, pages: Int
        var countedAt: String
        var rows: [Row]
    }

    struct DeadLetters: Encodable {
        struct Row: Encodable {
            var id: Int64
            var queue: String, topic: String, kind: String
            var attempts: Int
            var reason: String
            var diedAt: String
        }
        var rows: [Row]
        /// More match than the rows shown: narrow the search.
        var more: Bool
    }

    /// The body of POST /api/dead/retry and /api/dead/purge.
    struct Selection: Decodable {
        var ids: [Int64]
    }

    struct Done: Encodable {
        var count: Int
    }

    /// The body of POST /api/pause and /api/resume.
    struct PauseTarget: Decodable {
        var topic: String
        var queue: String?
    }

    struct Changed: Encodable {
        var changed: Bool
    }

    struct Failure: Encodable {
        var error: String
    }
}
