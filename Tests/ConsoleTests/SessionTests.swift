import Beliefs
@testable import Console
import Foundation
import Registry
import Site
import Testing

@Suite struct SessionTests {
    @Test func pagesSendStrangersToTheLoginPage() async throws {
        let console = try InProcessConsole()
        let visitor = console.visitor()
        for path in ["/dashboard", "/assets", "/assets/2", "/assets/new"] {
            let reply = try await visitor.get(path)
            #expect(reply.status == 303, "\(path)")
            #expect(reply.location?.hasPrefix("/login?next=") == true, "\(path): \(reply.location ?? "-")")
        }
        #expect(try await visitor.get("/").location == "/login")
        // A chart's data, which a page's script asks for, is refused as JSON (401), not redirected.
        let data = try await visitor.get("/assets/2/chart/data")
        #expect(data.status == 401)
    }

    @Test func loginSetsAStrictHttpOnlyCookieAndLogoutEndsTheSession() async throws {
        let console = try InProcessConsole()
        let visitor = console.visitor()
        let reply = try await visitor.login(email: "prosumer@example.com", password: "password-prosumer", next: "/assets")
        #expect(reply.status == 303)
        #expect(reply.location == "/assets")
        let cookie = try #require(reply.setCookies.first { $0.hasPrefix("fm_session=") })
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("Secure"))
        #expect(cookie.contains("Max-Age=43200"))
        let token = try #require(visitor.cookies["fm_session"])
        #expect(try await visitor.get("/dashboard").status == 200)

        #expect(try await visitor.post("/logout", form: [:]).location == "/login")
        #expect(try console.site.session(token: token) == nil)
        // The old cookie, sent again, opens nothing.
        visitor.cookies["fm_session"] = token
        #expect(try await visitor.get("/dashboard").status == 303)
    }

    @Test func secureCookiesUnderTLS() async throws {
        let console = try InProcessConsole { $0.secureCookies = true }
        let reply = try await console.visitor().login(email: "admin@example.com", password: "password-admin")
        #expect(reply.setCookies.allSatisfy { $0.contains("; Secure") })
    }

    @Test func wrongPasswordsAreRefusedAndThenSlowedDown() async throws {
        // The site's clock stands still: the wait is counted on it, not on how long bcrypt takes here.
        let console = try InProcessConsole(frozenAt: Instant.now())
        let visitor = console.visitor()
        for _ in 0..<5 {
            let reply = try await visitor.login(email: "prosumer@example.com", password: "wrong-password")
            #expect(reply.status == 401)
            #expect(reply.text.contains("The email or the password is wrong."))
        }
        let throttled = try await visitor.login(email: "prosumer@example.com", password: "wrong-password")
        #expect(throttled.status == 429)
        #expect(throttled.headers[.retryAfter] != nil)
        // Even the right password waits now.
        #expect(try await visitor.login(email: "prosumer@example.com", password: "password-prosumer").status == 429)
        // An unknown email answers as a wrong password does.
        let unknown = try await console.visitor().login(email: "nobody@example.com", password: "whatever1")
        #expect(unknown.status == 401 || unknown.status == 429)
    }

    @Test func loginWithoutItsCSRFTokenIsRefused() async throws {
        let console = try InProcessConsole()
        let visitor = console.visitor()
        _ = try await visitor.get("/login")
        let reply = try await visitor.post("/login", form: ["email": "admin@example.com", "password": "password-admin", "csrf_token": "forged"], addCSRF: false)
        #expect(reply.status == 403)
        #expect(visitor.cookies["fm_session"] == nil)
    }

    @Test func formsWithoutTheSessionsCSRFTokenChangeNothing() async throws {
        let console = try InProcessConsole()
        let admin = try await console.signedIn("admin")
        let solar = try console.id(ofAsset: "solar")
        let forged = try await admin.post("/assets/\(solar)/delete", form: ["csrf_token": "not-the-token"])
        #expect(forged.status == 403)
        let missing = try await admin.post("/assets/\(solar)/delete", form: [:], addCSRF: false)
        #expect(missing.status == 403)
        #expect(try console.site.registry.asset(id: solar) != nil)
        // A request another site's page sends is refused even with the token.
        let crossSite = try await admin.post("/assets/\(solar)/delete", form: [:], headers: [.init("Sec-Fetch-Site")!: "cross-site"])
        #expect(crossSite.status == 403)
        let otherOrigin = try await admin.post("/assets/\(solar)/delete", form: [:], headers: [.init("Origin")!: "http://evil.example", .init("Host")!: "127.0.0.1:5000"])
        #expect(otherOrigin.status == 403)
        #expect(try console.site.registry.asset(id: solar) != nil)
        #expect(try await admin.post("/assets/\(solar)/delete", form: [:]).status == 303)
        #expect(try console.site.registry.asset(id: solar) == nil)
    }

    @Test func aPasswordResetOrDeactivationEndsTheSessions() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        #expect(try await prosumer.get("/dashboard").status == 200)
        let user = try #require(try console.site.registry.user(email: "prosumer@example.com"))
        _ = try console.site.registry.resetPassword(id: user.id)
        #expect(try await prosumer.get("/dashboard").status == 303)
    }

    @Test func loginRedirectsOnlyWithinTheConsole() {
        #expect(LoginRoutes.safeNext("//evil.example/x") == "/dashboard")
        #expect(LoginRoutes.safeNext("https://evil.example") == "/dashboard")
        #expect(LoginRoutes.safeNext("/\\evil.example") == "/dashboard")
        #expect(LoginRoutes.safeNext("/assets?page=2") == "/assets?page=2")
    }

    @Test func demoModeShowsTheDemoLogin() async throws {
        let console = try InProcessConsole {
            $0.demoMode = true
            $0.demoCredentials = ("demo@example.com", "flexdemo")
        }
        let page = try await console.visitor().get("/login")
        #expect(page.text.contains("demo@example.com"))
        #expect(page.text.contains("flexdemo"))
        let plain = try await InProcessConsole().visitor().get("/login")
        #expect(!plain.text.contains("Demo"))
    }
}
