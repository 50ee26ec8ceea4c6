import Synchronization

/// The leases this worker holds for jobs that have not finished: what the lease extender renews.
/// A job leaves it the moment its outcome is known, so its lease is never renewed past its run.
final class LeaseRegistry: Sendable {
    private let leases = Mutex<[JobID: LeaseToken]>([:])

    func add(_ jobs: [LeasedJob]) {
        leases.withLock { leases in
            for job in jobs { leases[job.id] = job.lease }
        }
    }

    func remove(_ id: JobID) {
        _ = leases.withLock { $0.removeValue(forKey: id) }
    }

    var snapshot: [JobID: LeaseToken] { leases.withLock { $0 } }
}
