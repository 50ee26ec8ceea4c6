/// A snapshot of what a store holds.
public struct StoreStatus: Sendable, Equatable, Codable {
    public var queues: [QueueCounts]
    public var hosts: [HostRecord]
    /// Paused topics and queues, by topic then queue (a whole topic first).
    public var pauses: [Pause]
    /// The recent starts of rate-limited topics (see ``RateWindow``).
    public var rateWindows: [String: [Timestamp]]

    public init(queues: [QueueCounts], hosts: [HostRecord], pauses: [Pause] = [], rateWindows: [String: [Timestamp]] = [:]) {
        self.queues = queues
        self.hosts = hosts
        self.pauses = pauses
        self.rateWindows = rateWindows
    }

    /// Whether jobs of `queue` are held: its topic or the queue itself is paused.
    public func isPaused(_ queue: QueueKey) -> Bool {
        pauses.contains { $0.topic == queue.topic && ($0.queueID == nil || $0.queueID == queue.queueID) }
    }

    /// Topics at least one live host serves.
    public var servedTopics: Set<String> { Set(hosts.flatMap(\.topics)) }

    /// How many jobs of each queue the live hosts' children are running now.
    public var runningByQueue: [QueueKey: Int] { Dictionary(hosts.flatMap(\.running).map { ($0, 1) }, uniquingKeysWith: +) }
}

/// Job counts of one queue and topic.
public struct QueueCounts: Sendable, Equatable, Codable {
    public var queueID: String
    public var topic: String
    /// Visible now, waiting for a consumer.
    public var ready: Int
    /// Visible later (delayed, or backing off before a retry).
    public var scheduled: Int
    /// Leased by a host whose lease has not expired: running, or waiting in a batch for the jobs
    /// before it. (Hosts report which jobs are running now in `HostRecord.running`.)
    public var leased: Int
    /// In the dead-letter store (cancelled jobs apart).
    public var dead: Int
    /// Cancelled by an operator, kept with the dead letters.
    public var cancelled: Int

    /// The counts of a queue holding `jobs` jobs, of which `scheduled` are put off to a later time
    /// and `leased` are held by a live lease: the rest are ready.
    public init(queueID: String, topic: String, jobs: Int, scheduled: Int, leased: Int, dead: Int, cancelled: Int) {
        self.init(
            queueID: queueID, topic: topic, ready: max(0, jobs - scheduled - leased), scheduled: scheduled, leased: leased, dead: dead,
            cancelled: cancelled)
    }

    public init(queueID: String, topic: String, ready: Int = 0, scheduled: Int = 0, leased: Int = 0, dead: Int = 0, cancelled: Int = 0) {
        self.cancelled = cancelled
        self.queueID = queueID
        self.topic = topic
        self.ready = ready
        self.scheduled = scheduled
        self.leased = leased
        self.dead = dead
    }
}

/// A running host, as recorded by its heartbeat.
public struct HostRecord: Sendable, Equatable, Codable {
    public var id: String
    public var hostname: String
    public var pid: Int32
    public var topics: [String]
    public var startedAt: Timestamp
    public var seenAt: Timestamp
    /// A problem the host wants operators to see, e.g. why its last reload was refused.
    public var note: String?
    /// The queue of each job running now (started in a runner, not finished), one entry per job.
    public var running: [QueueKey]
    /// True once the host has begun a graceful stop: it takes no new work, and running batches
    /// have their grace period to finish.
    public var stopping: Bool
    /// Which code the host serves: 1 at start, one more per reload (0 for hosts that do not reload).
    public var generation: Int
    /// The latest progress of its running jobs that reported some.
    public var progress: [RunningProgress]

    public init(
        id: String, hostname: String, pid: Int32, topics: [String], startedAt: Timestamp, seenAt: Timestamp, note: String? = nil,
        running: [QueueKey] = [], stopping: Bool = false, generation: Int = 0, progress: [RunningProgress] = []
    ) {
        self.generation = generation
        self.progress = progress
        self.id = id
        self.hostname = hostname
        self.pid = pid
        self.topics = topics
        self.startedAt = startedAt
        self.seenAt = seenAt
        self.note = note
        self.running = running
        self.stopping = stopping
    }

    /// `running` as stored: one `queue_id TAB topic` line per job (neither holds control characters).
    public var runningText: String { running.map { "\($0.queueID)\t\($0.topic)" }.joined(separator: "\n") }

    /// `progress` as stored: one `RunningProgress.text` line per job.
    public var progressText: String { progress.map(\.text).joined(separator: "\n") }

    /// The queues of `runningText`.
    public static func running(fromText text: String) -> [QueueKey] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            return fields.count == 2 ? QueueKey(queueID: String(fields[0]), topic: String(fields[1])) : nil
        }
    }
}
