import Foundation
import Hummingbird
import JobQueue

/// The dashboard: its page at `/` and the JSON API the page polls, over the host's store.
///
/// Reads: `GET /api/overview` (counts per state and topic, lag, hosts, this host's runs per
/// minute), `GET /api/queues?search=&sort=&page=` (tenants, paginated), `GET /api/dead?search=`
/// (dead letters), `GET /api/jobs/ID` (a job and its runs; its payload only with
/// `http.show_payloads`). Writes, which `SameOriginMiddleware` guards: `POST /api/dead/retry`,
/// `POST /api/dead/purge` and `POST /api/jobs/cancel` with `{"ids": [...]}`; `POST /api/pause` and
/// `POST /api/resume` with `{"topic": "...", "queue": "..." (optional)}`.
struct DashboardAPI: Sendable {
    let host: HostService
    let metrics: HostMetrics?
    /// The counts the overview and the tenants show, shared with `/metrics`.
    let snapshot: StatusSnapshot
    let showPayloads: Bool
    /// Tenants per page of `/api/queues`.
    static let pageSize = 50
    /// Dead letters one search shows at most, the latest first.
    static let deadLetterRows = 200

    func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { _, _ in DashboardPage.response(.html) }
        router.get("dashboard.js") { _, _ in DashboardPage.response(.script) }
        router.get("dashboard.css") { _, _ in DashboardPage.response(.styles) }
        router.get("api/overview") { _, _ in await respond { try await overview($0) } }
        router.get("api/queues") { request, _ in await respond { try await queues($0, Self.query(request)) } }
        router.get("api/dead") { request, _ in await respond { try await deadLetters($0, Self.query(request)) } }
        router.get("api/jobs/:id") { _, context in
            await respond { client in
                guard let id = context.parameters.get("id").flatMap(JobID.init) else { throw APIError(.badRequest, "not a job id") }
                guard let job = try await client.job(id) else { throw APIError(.notFound, "no job has id \(id)") }
                return JobView(job, showPayload: showPayloads)
            }
        }
        router.post("api/dead/retry") { request, _ in
            await respondChanging {
                DashboardViews.Done(count: try await $0.retryDeadLetters(matching: DeadLetterSelector(ids: try await Self.selection(request))))
            }
        }
        router.post("api/dead/purge") { request, _ in
            await respondChanging {
                DashboardViews.Done(count: try await $0.purgeDeadLetters(matching: DeadLetterSelector(ids: try await Self.selection(request))))
            }
        }
        router.post("api/jobs/cancel") { request, _ in
            await respondChanging { client in
                DashboardViews.Done(count: try await client.cancel(.ids(try await Self.selection(request)), by: Self.dashboardUser).count)
            }
        }
        router.post("api/pause") { request, _ in
            await respondChanging { client in
                let target = try await Self.pauseTarget(request)
                return DashboardViews.Changed(changed: try await client.pause(topic: target.topic, queue: target.queue))
            }
        }
        router.post("api/resume") { request, _ in
            await respondChanging { client in
                let target = try await Self.pauseTarget(request)
                return DashboardViews.Changed(changed: try await client.resume(topic: target.topic, queue: target.queue))
            }
        }
    }

    private func overview(_ client: JobClient) async throws -> DashboardViews.Overview {
        let counted = try await snapshot.counts(from: client.store)
        let lag = try await client.readyLag(queues: 10)
        let served = counted.status.servedTopics
        let schedules = host.schedules
        let ticks = schedules.isEmpty ? [:] : try await client.store.scheduleTicks()
        let now = Timestamp.now
        let held = counted.status.holds(host.topicLimits, now: now)
        let topics = counted.topics.map { topic, totals in
            DashboardViews.Overview.Topic(
                topic: topic, counts: totals.counts, queues: totals.queues, lagSeconds: Self.seconds(lag.topics[topic] ?? .zero),
                served: served.contains(topic), paused: counted.status.pauses.contains { $0.topic == topic && $0.queueID == nil },
                held: held.contains { $0.topic == topic && $0.queueID == nil })
        }
        return DashboardViews.Overview(
            version: JobQueueVersion.current, generation: host.generation, showPayloads: showPayloads, countedAt: counted.at.description,
            totals: counted.totals, topics: topics.sorted { $0.topic < $1.topic },
            longestWaiting: lag.queues.map { .init(queue: $0.queue.queueID, topic: $0.queue.topic, lagSeconds: Self.seconds($0.wait)) },
            hosts: counted.status.hosts.map {
                .init(
                    id: $0.id, hostname: $0.hostname, pid: $0.pid, topics: $0.topics, startedAt: $0.startedAt.description,
                    seenAt: $0.seenAt.description, running: $0.running.count, stopping: $0.stopping, generation: $0.generation,
                    note: $0.note, progress: $0.progress)
            },
            throughput: (metrics?.runsPerMinute.lastHour(now: now) ?? []).map { .init(minute: $0.start.description, ok: $0.ok, failed: $0.failed) },
            schedules: schedules.map { schedule in
                let last = ticks[schedule.name]
                return .init(
                    name: schedule.name, topic: schedule.topic, queue: schedule.queueID, trigger: schedule.triggerText,
                    lastTick: last?.description, nextTick: schedule.nextTick(last: last, now: now)?.description)
            }, held: held)
    }

    private func queues(_ client: JobClient, _ query: [String: String]) async throws -> DashboardViews.Queues {
        let counted = try await snapshot.counts(from: client.store)
        guard let order = StatusSnapshot.Order(rawValue: query["sort"] ?? "queue") else {
            throw APIError(.badRequest, "sort must be one of \(StatusSnapshot.Order.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let page = Int(query["page"] ?? "1"), page >= 1 else { throw APIError(.badRequest, "page must be a number from 1") }
        var indices = counted.orders[order] ?? []
        if let search = query["search"], !search.isEmpty {
            indices = StatusSnapshot.tenants(indices, in: counted, containing: search)
        }
        let pages = max((indices.count + Self.pageSize - 1) / Self.pageSize, 1)
        let shown = indices.dropFirst((min(page, pages) - 1) * Self.pageSize).prefix(Self.pageSize).map { counted.tenants[$0] }
        return DashboardViews.Queues(
            total: indices.count, page: min(page, pages), pages: pages, countedAt: counted.at.description,
            rows: shown.map { .init(queue: $0.queue, topic: $0.topic, counts: $0.counts, lagSeconds: $0.lag.map(Self.seconds)) })
    }

    private func deadLetters(_ client: JobClient, _ query: [String: String]) async throws -> DashboardViews.DeadLetters {
        let search = query["search"].flatMap { $0.isEmpty ? nil : $0 }
        let found = try await client.deadLetters(matching: DeadLetterSelector(search: search, newestFirst: true), limit: Self.deadLetterRows + 1)
        return DashboardViews.DeadLetters(
            rows: found.prefix(Self.deadLetterRows).map {
                .init(
                    id: $0.id.rawValue, queue: $0.queueID, topic: $0.topic, kind: $0.kind.rawValue, attempts: $0.attempts, reason: $0.reason,
                    diedAt: $0.diedAt.description)
            }, more: found.count > Self.deadLetterRows)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.milliseconds) / 1000
    }

    /// The request's query parameters (the first of each name).
    private static func query(_ request: Request) -> [String: String] {
        Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
    }

    /// The ids of a write's JSON body.
    private static func selection(_ request: Request) async throws -> [JobID] {
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let selection = try? JSONDecoder().decode(DashboardViews.Selection.self, from: Data(buffer: body)), !selection.ids.isEmpty else {
            throw APIError(.badRequest, #"expected {"ids": [job ids]}"#)
        }
        return selection.ids.map(JobID.init(rawValue:))
    }

    /// The body of a pause or resume.
    private static func pauseTarget(_ request: Request) async throws -> DashboardViews.PauseTarget {
        let body = try await request.body.collect(upTo: 1 << 16)
        guard let target = try? JSONDecoder().decode(DashboardViews.PauseTarget.self, from: Data(buffer: body)), !target.topic.isEmpty
        else {
            throw APIError(.badRequest, #"expected {"topic": "...", "queue": "..." (optional)}"#)
        }
        return target
    }

    /// Who the records say cancelled a job through the dashboard.
    static let dashboardUser = "the dashboard"

    /// `respond` for a write: the counts are taken anew afterwards, so the page shows the change.
    private func respondChanging(_ body: (JobClient) async throws -> some Encodable) async -> Response {
        let response = await respond(body)
        await snapshot.expire()
        return response
    }

    /// Runs `body` on a client of the host's store and answers its value as JSON, or the error.
    private func respond(_ body: (JobClient) async throws -> some Encodable) async -> Response {
        guard let store = host.store else { return Self.error(.serviceUnavailable, "the host is starting") }
        do {
            return Self.json(try await body(JobClient(store: store)))
        } catch let error as APIError {
            return Self.error(error.status, error.message)
        } catch StoreError.invalidJob(let reason) {
            return Self.error(.badRequest, reason)
        } catch {
            return Self.error(.internalServerError, "\(error)")
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"unencodable"}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(DashboardViews.Failure(error: message), status: status)
    }

    struct APIError: Error {
        let status: HTTPResponse.Status
        let message: String

        init(_ status: HTTPResponse.Status, _ message: String) {
            self.status = status
            self.message = message
        }
    }
}
