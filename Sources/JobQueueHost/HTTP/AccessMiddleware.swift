import Hummingbird

/// Who may use the listener. With a token: requests that carry `Authorization: Bearer <token>`
/// or the session cookie `/login` sets; others get 401 (a browser asking for a page gets the
/// login form). Without one (a loopback listener): requests whose `Host` is a loopback name, so
/// that a web page cannot reach the listener through a DNS name it controls (DNS rebinding).
/// Token comparisons take the same time wherever the tokens differ.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The session cookie's name; its value is the token in hexadecimal.
    static var cookieName: String { "jobqueue_session" }

    let token: [UInt8]?
    let sessionValue: [UInt8]?

    init(token: String?) {
        self.token = token.map { Array($0.utf8) }
        self.sessionValue = token.map { Array(Self.hex($0).utf8) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, let sessionValue else {
            guard Self.isLoopbackAuthority(request.head.authority) else {
                return Response(status: .misdirectedRequest, body: .init(byteBuffer: .init(string: "Host must be a loopback address\n")))
            }
            return try await next(request, context)
        }
        // The sign-in form, its styles and the API's document hold no data.
        if ["/login", "/dashboard.css", "/api/openapi.json"].contains(request.uri.path) { return try await next(request, context) }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "), Self.same(Array(header.utf8.dropFirst(7)), token) {
            return try await next(request, context)
        }
        if let cookie = Self.cookie(Self.cookieName, in: request), Self.same(Array(cookie.utf8), sessionValue) {
            return try await next(request, context)
        }
        if request.method == .get, request.headers[.accept]?.contains("text/html") == true {
            return LoginPage.response(status: .unauthorized, message: nil)
        }
        return Response(status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
    }

    /// True when `given` is the token.
    func accepts(_ given: String) -> Bool {
        token.map { Self.same(Array(given.utf8), $0) } ?? false
    }

    /// The `Set-Cookie` value of a session for `token`: HttpOnly, and sent only with requests
    /// from this listener's own pages (SameSite=Strict).
    static func sessionCookie(for token: String) -> String {
        "\(cookieName)=\(hex(token)); Path=/; HttpOnly; SameSite=Strict"
    }

    static func same(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func hex(_ text: String) -> String {
        text.utf8.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
            }
        }
        return nil
    }

    /// `localhost`, `127.x.x.x` or `[::1]`, with or without a port.
    static func isLoopbackAuthority(_ authority: String?) -> Bool {
        guard let authority else { return false }
        var host = Substring(authority)
        if host.hasPrefix("[") {
            host = host.dropFirst().prefix { $0 != "]" }
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        let octets = host.split(separator: ".")
        return host == "localhost" || host == "::1" || (octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil })
    }
}
