import Foundation
import JobQueue
import Testing

@testable import JobQueueHost

/// What the dashboard and /metrics derive from one count: totals per topic, the tenants in each
/// order, and searches by queue or topic.
@Suite struct StatusSnapshotTests {
    static let status = StoreStatus(
        queues: [
            QueueCounts(queueID: "Acme", topic: "email", ready: 3, dead: 1),
            QueueCounts(queueID: "globex", topic: "email", ready: 7, scheduled: 2),
            QueueCounts(queueID: "globex", topic: "report", leased: 1),
        ],
        hosts: [
            HostRecord(
                id: "h", hostname: "h", pid: 1, topics: ["email"], startedAt: .now, seenAt: .now,
                running: [QueueKey(queueID: "globex", topic: "report")])
        ])

    @Test func countsAreSummedPerTopicAndSortedEachWay() {
        let counted = StatusSnapshot.Counted(status: Self.status, at: .now)
        #expect(counted.totals == StatusSnapshot.Counts(ready: 10, scheduled: 2, leased: 1, running: 1, dead: 1))
        #expect(counted.topics["email"]?.counts == StatusSnapshot.Counts(ready: 10, scheduled: 2, dead: 1))
        #expect(counted.topics["email"]?.queues == 2)
        #expect(counted.topics["report"]?.counts.running == 1)
        func order(_ order: StatusSnapshot.Order) -> [String] {
            (counted.orders[order] ?? []).map { "\(counted.tenants[$0].queue)/\(counted.tenants[$0].topic)" }
        }
        #expect(order(.queue) == ["Acme/email", "globex/email", "globex/report"])
        #expect(order(.ready) == ["globex/email", "Acme/email", "globex/report"])
        #expect(order(.dead) == ["Acme/email", "globex/email", "globex/report"], "equal counts keep the queue order")
    }

    @Test func eachReadyTenantHasItsLagAndTheLongestWaitingComeFirst() {
        let lag = ReadyLag(queues: [
            .init(queue: QueueKey(queueID: "globex", topic: "email"), wait: .seconds(90)),
            .init(queue: QueueKey(queueID: "Acme", topic: "email"), wait: .seconds(5)),
        ])
        let counted = StatusSnapshot.Counted(status: Self.status, at: .now, lag: lag)
        #expect(counted.tenants.map(\.lag) == [.seconds(5), .seconds(90), nil])
        let order = (counted.orders[.lag] ?? []).map { "\(counted.tenants[$0].queue)/\(counted.tenants[$0].topic)" }
        #expect(order == ["globex/email", "Acme/email", "globex/report"], "no lag (nothing ready) last")
    }

    @Test func readyJobsOfPausedQueuesAndTopicsCountAsPaused() {
        var status = Self.status
        status.queues[0].cancelled = 4
        status.pauses = [Pause(topic: "email", queueID: "Acme", pausedAt: .now), Pause(topic: "report", pausedAt: .now)]
        let counted = StatusSnapshot.Counted(status: status, at: .now)
        #expect(counted.topics["email"]?.counts == StatusSnapshot.Counts(ready: 7, scheduled: 2, dead: 1, cancelled: 4, paused: 3))
        #expect(counted.topics["report"]?.counts == StatusSnapshot.Counts(leased: 1, running: 1), "nothing ready, nothing paused")
    }

    @Test func aSearchMatchesQueueOrTopicIgnoringCase() {
        let counted = StatusSnapshot.Counted(status: Self.status, at: .now)
        let all = counted.orders[.queue] ?? []
        #expect(StatusSnapshot.tenants(all, in: counted, containing: "ACME") == [0])
        #expect(StatusSnapshot.tenants(all, in: counted, containing: "port") == [2])
        #expect(StatusSnapshot.tenants(all, in: counted, containing: "x\nem") == [1])
        #expect(StatusSnapshot.tenants(all, in: counted, containing: "globex/email").isEmpty)
        #expect(StatusSnapshot.tenants(all, in: counted, containing: "a much longer text than any key").isEmpty)
    }

    @Test func aSnapshotIsReusedUntilItIsOld() async throws {
        let path = "/tmp/jq-snapshot-\(UInt32.random(in: 0...UInt32.max)).db"
        let store = try SQLiteJobStore(SQLiteJobStore.Settings(path: path))
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let snapshot = StatusSnapshot()
        // Callers arriving together share the first count.
        async let first = snapshot.counts(from: store)
        async let second = snapshot.counts(from: store)
        let (one, two) = try await (first, second)
        #expect(one.at == two.at && one.tenants.isEmpty)
        _ = try await store.enqueue([NewJob(queueID: "q", topic: "t", payload: [])])
        // Within its age (at least five seconds, more when counting was slow) the snapshot stands:
        // no new count, the same moment.
        #expect(await snapshot.maxAge >= StatusSnapshot.minimumAge)
        let again = try await snapshot.counts(from: store)
        #expect(again.at == one.at && again.tenants.isEmpty)
        await store.close()
    }
}
