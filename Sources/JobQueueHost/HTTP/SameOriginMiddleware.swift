import Hummingbird

/// Refuses requests that change data (anything but GET and HEAD) sent by another site's page:
/// cross-site request forgery. A browser says where a request comes from (`Sec-Fetch-Site`,
/// `Origin`); a request from another origin gets 403. API posts must also be JSON
/// (`Content-Type: application/json`), which no plain HTML form can send (nor can a form send
/// any other method).
struct SameOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .get || request.method == .head { return try await next(request, context) }
        if let site = request.headers.first(where: { $0.name.canonicalName == "sec-fetch-site" })?.value, site != "same-origin", site != "none" {
            return Self.refusal(.forbidden, "cross-site request refused (Sec-Fetch-Site: \(site))")
        }
        if let origin = request.headers[.origin], !Self.isSameOrigin(origin, authority: request.head.authority) {
            return Self.refusal(.forbidden, "cross-site request refused (Origin: \(origin))")
        }
        if request.method == .post, request.uri.path.hasPrefix("/api/"), request.headers[.contentType]?.hasPrefix("application/json") != true {
            return Self.refusal(.unsupportedMediaType, "send JSON (Content-Type: application/json)")
        }
        return try await next(request, context)
    }

    static func isSameOrigin(_ origin: String, authority: String?) -> Bool {
        guard let authority else { return false }
        return origin == "http://\(authority)" || origin == "https://\(authority)"
    }

    static func refusal(_ status: HTTPResponse.Status, _ message: String) -> Response {
        DashboardAPI.error(status, message)
    }
}
