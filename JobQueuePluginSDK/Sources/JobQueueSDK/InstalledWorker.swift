import CJobQueuePlugin

/// The worker this plugin's `jq_init` installed, type-erased so the exported C functions can
/// call it.
struct InstalledWorker {
    /// Runs one job and reports its result through the context; returns the status for the host.
    let perform: (_ job: UnsafePointer<jq_job>, _ context: JobContext) -> jq_status

    /// The worker of this plugin, set once by `jq_init` before any `jq_perform`.
    ///
    /// A plain global is safe here: the ABI guarantees `jq_init` and `jq_perform` are called on
    /// the process's only thread (the fork server and its children are single-threaded), and each
    /// plugin `.so` has its own copy of this variable.
    nonisolated(unsafe) static var current: InstalledWorker?

    init<Worker: JobWorker>(_ worker: Worker) {
        perform = { job, context in
            let payloadBytes = Array(UnsafeBufferPointer(start: job.pointee.payload, count: job.pointee.payload_len))
            let meta = JobMetadata(
                topic: String(cString: job.pointee.topic),
                queueID: String(cString: job.pointee.queue_id),
                itemID: job.pointee.item_id,
                attempt: Int(job.pointee.attempt)
            )
            let payload: Worker.Payload
            do {
                payload = try Worker.decodePayload(payloadBytes)
            } catch {
                context.setMessage("undecodable payload: \(error)")
                return JQ_DISCARD
            }
            let result: JobResult
            do {
                result = try worker.perform(payload, meta, context)
            } catch {
                result = .error(String(describing: error))
            }
            return result.report(to: context)
        }
    }
}
