import Beliefs
import Foundation
import HTTPTypes
import Hummingbird
import Site

/// `GET /login`, `POST /login`, `POST /logout`.
enum LoginRoutes {
    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        router.get("/login") { request, context in
            if context.session != nil { return ConsoleRedirect(to: safeNext(request.uri.queryParameters["next"].map(String.init))).response }
            return loginPage(pages: pages, services: services, next: request.uri.queryParameters["next"].map(String.init), email: nil, error: nil, status: .ok)
        }
        router.post("/login") { request, context in
            let form = try await FormBody.read(request, limit: 16 * 1024)
            let next = safeNext(form["next"])
            guard let cookie = SessionCookie.value(SessionCookie.loginCSRF, in: request.headers),
                  let sent = form["csrf_token"], ConsoleContext.constantTimeEqual(cookie, sent)
            else {
                return loginPage(pages: pages, services: services, next: next, email: form["email"],
                                 error: "The form's security token is missing or stale: try again.", status: .forbidden)
            }
            guard let email = form.text("email"), let password = form["password"], !password.isEmpty else {
                return loginPage(pages: pages, services: services, next: next, email: form["email"],
                                 error: "Give your email and your password.", status: .unprocessableContent)
            }
            let client = context.remoteAddress?.ipAddress ?? "local"
            do {
                let (token, _) = try await services.site.signIn(
                    email: email, password: password, client: client, lifetime: services.settings.sessionLifetime
                )
                let lifetime = services.settings.sessionLifetime.microseconds / 1_000_000
                var headers = HTTPFields()
                headers[.location] = next
                headers.append(HTTPField(name: .setCookie, value: SessionCookie.header(
                    SessionCookie.session, value: token, maxAge: lifetime, secure: services.settings.secureCookies)))
                headers.append(HTTPField(name: .setCookie, value: SessionCookie.header(
                    SessionCookie.loginCSRF, value: "", maxAge: 0, secure: services.settings.secureCookies)))
                return Response(status: .seeOther, headers: headers)
            } catch let error as SiteError<SignInError> {
                var headers = HTTPFields()
                let status: HTTPResponse.Status
                switch error.reason {
                case .wrongCredentials, .deactivated: status = .unauthorized
                case let .throttled(wait):
                    status = .tooManyRequests
                    headers[.retryAfter] = String(wait)
                }
                var response = loginPage(pages: pages, services: services, next: next, email: email, error: error.description, status: status)
                response.headers.append(contentsOf: headers)
                return response
            }
        }
        // Logging out changes state, so it takes the form's POST; a link or a typed address lands where the button is.
        router.get("/logout") { _, _ in ConsoleRedirect(to: "/dashboard").response }
        router.post("/logout") { request, context in
            _ = try await context.form(request, limit: 4 * 1024)
            if let token = context.sessionToken { try await services.site.signOut(token: token) }
            var headers = HTTPFields()
            headers[.location] = "/login"
            headers.append(HTTPField(name: .setCookie, value: SessionCookie.header(
                SessionCookie.session, value: "", maxAge: 0, secure: services.settings.secureCookies)))
            return Response(status: .seeOther, headers: headers)
        }
    }

    /// Where to go after logging in: a path of this console only (never another site).
    static func safeNext(_ next: String?) -> String {
        // No control characters or spaces at all: browsers drop a tab or a newline, so "/\t/evil.example"
        // would become "//evil.example", another site.
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.utf8.count <= 2048,
              !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0.properties.isWhitespace || $0 == "\\" }),
              !next.hasPrefix("/login"), !next.hasPrefix("/logout"),
              let url = URL(string: next), url.host == nil, url.scheme == nil
        else { return "/dashboard" }
        return next
    }

    static func loginPage(
        pages: PageRenderer, services: ConsoleServices, next: String?, email: String?, error: String?, status: HTTPResponse.Status
    ) -> Response {
        let csrf = Site.randomToken()
        var values: [String: Any] = ["loginCSRF": csrf, "next": safeNext(next), "email": email ?? ""]
        if let error { values["error"] = error }
        if services.settings.demoMode, let demo = services.settings.demoCredentials {
            values["demo"] = true
            values["demoEmail"] = demo.email
            values["demoPassword"] = demo.password
        }
        var response = pages.page("login", title: "Log in", section: nil, session: nil, values: values, status: status)
        response.headers.append(HTTPField(name: .setCookie, value: SessionCookie.header(
            SessionCookie.loginCSRF, value: csrf, maxAge: 3600, secure: services.settings.secureCookies)))
        return response
    }
}
