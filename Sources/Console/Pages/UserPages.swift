import Beliefs
import Foundation
import Hummingbird
import Registry
import Site

/// The users pages (administrators): list, one user, reset password, deactivate and activate, delete; and
/// the account page of whoever is signed in: timezone and password.
enum UserPages {
    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        let registry = services.site.registry

        router.get("/users") { request, context in
            let session = try context.requireSession(request)
            try services.site.requireAdmin(session.user, to: .listUsers)
            let assets = try registry.assets()
            let owned = Dictionary(grouping: assets, by: \.fields.ownerID).mapValues(\.count)
            let users = try registry.users(includeInactive: true).map { user -> [String: Any] in
                var row = facts(of: user)
                row["assets"] = owned[user.id] ?? 0
                return row
            }
            return pages.page("users", title: "Users", section: .users, session: session, values: ["users": users, "count": users.count])
        }

        router.get("/users/{id}") { request, context in
            let session = try context.requireSession(request)
            let user = try services.site.user(try userID(context), for: session.user, to: .view)
            let notice = request.uri.queryParameters["password"] == "set"
                ? "The password of \(user.username) is set; their sessions and tokens have ended." : nil
            return try userPage(pages, registry: registry, session: session, user: user, notice: notice)
        }

        router.post("/users/{id}/reset-password") { request, context in
            let (session, _) = try await context.form(request)
            let user = try services.site.user(try userID(context), for: session.user, to: .resetPassword)
            _ = try registry.resetPassword(id: user.id)
            return ConsoleRedirect(to: "/users/\(user.id)").response
        }

        router.post("/users/{id}/password") { request, context in
            let (session, form) = try await context.form(request)
            let user = try services.site.user(try userID(context), for: session.user, to: .resetPassword)
            guard user.id != session.user.id else {
                throw ConsoleError.forbidden("Change your own password on your account page, with your current password.")
            }
            let new = form["password"] ?? "", repeated = form["repeat"] ?? ""
            var problem: String?
            if new != repeated {
                problem = "The two passwords differ."
            } else {
                do {
                    _ = try await runBlocking { try registry.setPassword(id: user.id, to: new) }
                } catch let error as RegistryError {
                    problem = error.messagesByField.values.flatMap { $0 }.joined(separator: " ")
                }
            }
            guard let problem else {
                // After a change, a redirect: reloading the page does not send the password again.
                return ConsoleRedirect(to: "/users/\(user.id)?password=set").response
            }
            return try userPage(pages, registry: registry, session: session, user: user, passwordError: problem, status: .unprocessableContent)
        }

        for (action, active) in [("deactivate", false), ("activate", true)] {
            router.post("/users/{id}/\(action)") { request, context in
                let (session, _) = try await context.form(request)
                let user = try services.site.user(try userID(context), for: session.user, to: .change)
                try services.site.checkChange(of: user, touching: [.active], by: session.user)
                _ = try registry.updateUser(id: user.id, UserChanges(active: active))
                return ConsoleRedirect(to: "/users/\(user.id)").response
            }
        }

        router.post("/users/{id}/delete") { request, context in
            let (session, _) = try await context.form(request)
            try services.site.requireAdmin(session.user, to: .listUsers)
            let user = try services.site.user(try userID(context), for: session.user, to: .change)
            guard user.id != session.user.id else { throw ConsoleError.forbidden("You cannot delete your own account here: ask another administrator.") }
            try services.site.deleteUser(id: user.id)
            return ConsoleRedirect(to: "/users").response
        }

        router.get("/account") { request, context in
            let session = try context.requireSession(request)
            return accountPage(pages, session: session, user: session.user, errors: [:])
        }

        router.post("/account/timezone") { request, context in
            let (session, form) = try await context.form(request)
            let timezone = form.text("timezone") ?? ""
            do {
                _ = try registry.updateUser(id: session.user.id, UserChanges(timezone: String(timezone.prefix(100))))
            } catch let error as RegistryError {
                var user = session.user
                user.timezone = timezone
                return accountPage(pages, session: session, user: user, errors: ["timezone": error.messagesByField.values.flatMap { $0 }.joined(separator: " ")], status: .unprocessableContent)
            }
            let user = try registry.user(id: session.user.id) ?? session.user
            return accountPage(pages, session: session, user: user, errors: [:], notice: "Your timezone is now \(user.timezone).")
        }

        router.post("/account/password") { request, context in
            let (session, form) = try await context.form(request)
            let current = form["current"] ?? "", new = form["password"] ?? "", repeated = form["repeat"] ?? ""
            let matches: Bool
            do {
                matches = try await services.site.checkPassword(current, of: session.user, client: context.remoteAddress?.ipAddress ?? "local")
            } catch let error as SiteError<SignInError> {
                return accountPage(pages, session: session, user: session.user, errors: ["current": error.description], status: .tooManyRequests)
            }
            guard matches else {
                return accountPage(pages, session: session, user: session.user, errors: ["current": "This is not your current password."], status: .unprocessableContent)
            }
            guard new == repeated else {
                return accountPage(pages, session: session, user: session.user, errors: ["password": "The two new passwords differ."], status: .unprocessableContent)
            }
            do {
                _ = try await runBlocking { try registry.setPassword(id: session.user.id, to: new) }
            } catch let error as RegistryError {
                return accountPage(pages, session: session, user: session.user, errors: ["password": error.messagesByField.values.flatMap { $0 }.joined(separator: " ")], status: .unprocessableContent)
            }
            // The new password ended every session, this one too: log in again with it.
            return ConsoleRedirect(to: "/login?next=%2Faccount").response
        }
    }

    static func userPage(
        _ pages: PageRenderer, registry: Registry, session: ConsoleSession, user: User, passwordError: String? = nil,
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var values = facts(of: user)
        values["assets"] = try registry.assets(ownerID: user.id).map { ["id": $0.id, "name": $0.fields.displayName] }
        values["isSelf"] = user.id == session.user.id || !session.user.isAdmin
        values["csrfToken"] = session.csrfToken
        if let passwordError { values["passwordError"] = passwordError }
        return pages.page("user", title: user.username, section: session.user.isAdmin ? .users : .account, session: session,
                          values: values, notice: notice, status: status)
    }

    static func userID(_ context: ConsoleContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw ConsoleError.notFound("There is no such user.")
        }
        return id
    }

    static func facts(of user: User) -> [String: Any] {
        var values: [String: Any] = [
            "id": user.id, "username": user.username, "email": user.email, "timezone": user.timezone, "active": user.active,
            "roles": user.roles.map(\.rawValue).sorted().joined(separator: ", "),
        ]
        if let login = user.lastLoginAt {
            values["lastLogin"] = Formatting.iso(login)
            values["lastLoginText"] = Formatting.readable(login)
        }
        return values
    }

    static func accountPage(
        _ pages: PageRenderer, session: ConsoleSession, user: User, errors: [String: String], notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = facts(of: user)
        values["csrfToken"] = session.csrfToken
        for (field, message) in errors { values["\(field)Error"] = message }
        return pages.page("account", title: "Your account", section: .account, session: session, values: values, notice: notice, status: status)
    }
}
