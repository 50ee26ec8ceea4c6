import Foundation
import Hummingbird
import JobQueue

/// The producers' API: enqueue from any language over HTTP, look a job up, cancel it.
///
/// `POST /api/jobs` takes one job object or an array of them (the fields of a line of
/// `enqueue --file`, ``NewJob/jsonFields``), stores all or none, and answers 201 with
/// `{"id": N}` or `{"ids": [...]}`; a bad job is a 400 naming the job and field, a payload over
/// `store.max_payload` a 413. An `Idempotency-Key` header makes a retried request store nothing
/// new: it becomes the job's unique key, held for a day (`KEY#N` for the Nth job of an array).
/// `DELETE /api/jobs/ID` cancels a job (`GET /api/jobs/ID` is the dashboard's). The document
/// of all this is `GET /api/openapi.json` (`Sources/JobQueueHost/API/openapi.json`).
struct JobsAPI: Sendable {
    let host: HostService
    /// The largest request body, whatever the jobs in it.
    static let maxBody = 32 << 20
    /// How long an `Idempotency-Key` keeps a retried request from enqueueing again.
    static let idempotencyWindow: Duration = .seconds(86_400)

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("api/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_json)))
        }
        router.post("api/jobs") { request, _ in await enqueue(request) }
        router.delete("api/jobs/:id") { _, context in await cancel(context.parameters.get("id")) }
    }

    private func enqueue(_ request: Request) async -> Response {
        guard let client = host.client else { return DashboardAPI.error(.serviceUnavailable, "the host is starting") }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxBody)
        } catch {
            return DashboardAPI.error(.contentTooLarge, "the body is over \(Self.maxBody >> 20) MiB: send fewer jobs per request")
        }
        var jobs: [NewJob]
        let isArray: Bool
        do {
            (jobs, isArray) = try NewJob.fromJSON(Data(buffer: body), allowingArray: true)
        } catch {
            return DashboardAPI.json(Failure(error: error.description, job: error.job, field: error.field), status: .badRequest)
        }
        if let (index, job) = jobs.enumerated().first(where: { $0.element.payload.count > client.maxPayload }) {
            let reason = "payload is \(job.payload.count) bytes, over the limit of \(client.maxPayload) bytes (store.max_payload)"
            return DashboardAPI.json(
                Failure(error: isArray ? "job \(index + 1): \(reason)" : reason, job: isArray ? index + 1 : nil, field: "payload"),
                status: .contentTooLarge)
        }
        if let key = request.headers.first(where: { $0.name.canonicalName == "idempotency-key" })?.value {
            if key.isEmpty || key.utf8.count > 1000 || jobs.contains(where: { $0.uniqueKey != nil }) {
                return DashboardAPI.json(
                    Failure(error: "Idempotency-Key must be 1 to 1000 bytes, and the jobs it keys must not set unique_key", field: "unique_key"),
                    status: .badRequest)
            }
            for index in jobs.indices {
                jobs[index].uniqueKey = isArray ? "\(key)#\(index + 1)" : key
                jobs[index].uniqueFor = jobs[index].uniqueFor ?? Self.idempotencyWindow
            }
        }
        do {
            let ids = try await client.enqueue(jobs).map(\.rawValue)
            return isArray ? DashboardAPI.json(Enqueued(ids: ids), status: .created) : DashboardAPI.json(Enqueued(id: ids[0]), status: .created)
        } catch StoreError.invalidJob(let reason) {
            return DashboardAPI.error(.badRequest, reason)
        } catch {
            return DashboardAPI.error(.serviceUnavailable, "the store did not take the jobs: \(error)")
        }
    }

    private func cancel(_ text: String?) async -> Response {
        guard let client = host.client else { return DashboardAPI.error(.serviceUnavailable, "the host is starting") }
        guard let id = text.flatMap(Int64.init).map(JobID.init(rawValue:)) else { return DashboardAPI.error(.badRequest, "not a job id") }
        do {
            if try await client.cancel(.ids([id]), by: "the HTTP API").contains(id) {
                return DashboardAPI.json(Cancelled(id: id.rawValue, state: "cancelled"))
            }
            guard let job = try await client.job(id) else { return DashboardAPI.error(.notFound, "no job has id \(id)") }
            return DashboardAPI.error(.conflict, "job \(id) is \(job.state.rawValue): only ready, scheduled and running jobs can be cancelled")
        } catch {
            return DashboardAPI.error(.serviceUnavailable, "the store did not answer: \(error)")
        }
    }

    struct Enqueued: Encodable {
        var id: Int64?
        var ids: [Int64]?
    }

    struct Cancelled: Encodable {
        var id: Int64
        var state: String
    }

    /// A refusal: the message, and where an element of the request is at fault, which.
    struct Failure: Encodable {
        var error: String
        var job: Int?
        var field: String?
    }
}
