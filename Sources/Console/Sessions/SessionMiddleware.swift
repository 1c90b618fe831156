import Foundation
import HTTPTypes
import Hummingbird
import Site

/// The console's cookie names.
enum SessionCookie {
    static let session = "fm_session"
    /// The login form's own CSRF token (a double-submit cookie): there is no session yet to hold one.
    static let loginCSRF = "fm_login_csrf"

    /// The value of cookie `name` in the request's Cookie headers.
    static func value(_ name: String, in headers: HTTPFields) -> String? {
        for header in headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Secure under TLS; `maxAge` 0 deletes it.
    static func header(_ name: String, value: String, maxAge: Int64, secure: Bool) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }
}

/// Refuses cross-site requests that would change something (the session of the request's cookie was found
/// by `ConsoleErrorMiddleware`, outside this one):
/// a browser says where a request comes from (`Sec-Fetch-Site`, `Origin`), and a form's CSRF token is
/// checked where its body is read (`ConsoleContext.form`).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let services: ConsoleServices

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        if request.method != .get && request.method != .head {
            if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" {
                throw ConsoleError.forbidden("The request came from another site (\(site)); it was refused.")
            }
            if let origin = request.headers[HTTPField.Name("Origin")!], origin != "null" {
                let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? ""
                let originHost = URL(string: origin)?.host.map { host in URL(string: origin)?.port.map { "\(host):\($0)" } ?? host }
                if originHost != host {
                    throw ConsoleError.forbidden("The request came from \(origin), not from this console; it was refused.")
                }
            }
        }
        return try await next(request, context)
    }
}

extension ConsoleContext {
    /// The signed-in session, or a redirect to the login page (back to `request`'s page after it).
    func requireSession(_ request: Request) throws -> ConsoleSession {
        guard let session else {
            let back = request.method == .get ? request.uri.description : "/dashboard"
            throw ConsoleRedirect(to: "/login?next=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/dashboard"))
        }
        return session
    }

    /// The signed-in administrator's session, or 403.
    func requireAdmin(_ request: Request) throws -> ConsoleSession {
        let session = try requireSession(request)
        guard session.user.isAdmin else { throw ConsoleError.forbidden("This page is for administrators.") }
        return session
    }

    /// The body of a form posted by the signed-in user, after its CSRF token was checked.
    func form(_ request: Request, limit: Int = 64 * 1024) async throws -> (ConsoleSession, FormBody) {
        let session = try requireSession(request)
        let form = try await FormBody.read(request, limit: limit)
        try Self.checkCSRF(sent: form["csrf_token"], expected: session.csrfToken)
        return (session, form)
    }

    /// A request without a form body (an upload) carries the token in `X-CSRF-Token`.
    func checkCSRFHeader(_ request: Request) throws -> ConsoleSession {
        let session = try requireSession(request)
        try Self.checkCSRF(sent: request.headers[HTTPField.Name("X-CSRF-Token")!], expected: session.csrfToken)
        return session
    }

    static func checkCSRF(sent: String?, expected: String) throws {
        guard let sent, Self.constantTimeEqual(sent, expected) else {
            throw ConsoleError.forbidden("The form's security token is missing or stale: reload the page and try again.")
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// A page that sends the browser elsewhere (303 See Other), thrown so that any handler can stop with it.
struct ConsoleRedirect: Error {
    let location: String
    init(to location: String) { self.location = location }

    var response: Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
