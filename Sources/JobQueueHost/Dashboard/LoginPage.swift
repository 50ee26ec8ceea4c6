import Hummingbird

/// The form a browser gets instead of the dashboard when the listener has a token and the
/// browser has no session yet; `POST /login` with the token sets the session cookie.
enum LoginPage {
    /// `GET /login` shows the form; `POST /login` checks the token and, when it is right, sets
    /// the session cookie and goes to the dashboard.
    static func addRoutes<Context: RequestContext>(to router: Router<Context>, access: AccessMiddleware<Context>) {
        router.get("login") { _, _ in response(status: .ok, message: nil) }
        router.post("login") { request, _ in
            let form = try? await request.body.collect(upTo: 64 << 10)
            let token = form.flatMap { try? URLEncodedFormDecoder().decode(SignIn.self, from: String(buffer: $0)).token }
            guard let token, access.accepts(token) else { return response(status: .unauthorized, message: "That is not the token.") }
            return Response(status: .seeOther, headers: [.location: "/", .setCookie: AccessMiddleware<Context>.sessionCookie(for: token)])
        }
    }

    /// The sign-in form's field.
    private struct SignIn: Decodable {
        var token: String
    }

    static func response(status: HTTPResponse.Status, message: String?) -> Response {
        let note = message.map { #"<p class="error">\#($0)</p>"# } ?? ""
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>JobQueue: sign in</title><link rel="stylesheet" href="/dashboard.css"></head>
            <body class="login"><form method="post" action="/login">
            <h1>JobQueue</h1><p>This host's dashboard needs its token (<code>http.token</code>).</p>\(note)
            <label>Token <input id="token" name="token" type="password" autocomplete="current-password" autofocus required></label>
            <button type="submit">Sign in</button></form></body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
