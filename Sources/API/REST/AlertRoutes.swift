import Alerting
import Beliefs
import Hummingbird
import Registry
import Site

/// The alerting resources of v2.0, with the conventions of `assets`: `GET/POST /alert-rules`,
/// `GET/PATCH/DELETE /alert-rule/<id>`, `GET /alerts` (optionally `?state=firing` or a list of states),
/// `POST /alert/<id>/acknowledge` (`{"comment": "..."}`) and `POST /alert/<id>/silence` (`{"duration":
/// "PT2H", "comment": "..."}`). An asset's owner manages the rules of their assets' sensors and their alerts,
/// admins all of them. The handlers translate; `Site` checks fields and access (`AlertError`).
enum AlertRoutes {
    static let bodyLimit = 64 * 1024

    static func routes(_ services: APIServices) -> [APIRoute] {
        let prefix = APIVersion.v2_0.prefix
        return [
            APIRoute(.get, "\(prefix)/alert-rules") { request, _ in
                let user = try services.authenticate(request)
                return JSONBody.response(.array(try services.site.alertRules(visibleTo: user).map(\.json)))
            },
            APIRoute(.post, "\(prefix)/alert-rules") { request, _ in
                let user = try services.authenticate(request)
                let body = try await JSONBody.value(of: request, limit: bodyLimit)
                return JSONBody.response(try await services.site.addAlertRule(body, by: user).json, status: .created)
            },
            APIRoute(.get, "\(prefix)/alert-rule/:id") { request, context in
                let user = try services.authenticate(request)
                return JSONBody.response(try services.site.alertRule(id: try RESTParameters.id(context), visibleTo: user).json)
            },
            APIRoute(.patch, "\(prefix)/alert-rule/:id") { request, context in
                let user = try services.authenticate(request)
                let id = try RESTParameters.id(context)
                let body = try await JSONBody.value(of: request, limit: bodyLimit)
                return JSONBody.response(try await services.site.updateAlertRule(id: id, with: body, by: user).json)
            },
            APIRoute(.delete, "\(prefix)/alert-rule/:id") { request, context in
                let user = try services.authenticate(request)
                try await services.site.deleteAlertRule(id: try RESTParameters.id(context), by: user)
                return Response(status: .noContent)
            },
            APIRoute(.get, "\(prefix)/alerts") { request, _ in
                let user = try services.authenticate(request)
                let states = try states(JSONBody.queryMessage(request.uri)["state"])
                return JSONBody.response(.array(try services.site.alerts(visibleTo: user, states: states).map(\.json)))
            },
            APIRoute(.post, "\(prefix)/alert/:id/acknowledge") { request, context in
                let user = try services.authenticate(request)
                let id = try RESTParameters.id(context)
                let body = try await object(of: request, allowed: ["comment"])
                let comment = try text(body["comment"], field: "comment") ?? ""
                return JSONBody.response(try await services.site.acknowledgeAlert(id: id, comment: comment, by: user).json)
            },
            APIRoute(.post, "\(prefix)/alert/:id/silence") { request, context in
                let user = try services.authenticate(request)
                let id = try RESTParameters.id(context)
                let body = try await object(of: request, allowed: ["duration", "comment"])
                guard let durationText = try text(body["duration"], field: "duration") else {
                    throw APIError.unprocessable("the silence has invalid fields", fields: ["duration": ["Missing data for required field."]])
                }
                guard let duration = try? Timespan.parseISO8601(durationText) else {
                    throw APIError.unprocessable("the silence has invalid fields", fields: ["duration": ["Not a valid ISO 8601 duration (e.g. PT2H)."]])
                }
                let comment = try text(body["comment"], field: "comment") ?? ""
                let silence = try await services.site.silenceAlert(id: id, for: duration, comment: comment, by: user)
                return JSONBody.response(silence.json, status: .created)
            },
        ]
    }

    /// `state=firing`, `state=firing&state=pending` or `state=["firing","pending"]`; nil for all.
    static func states(_ value: JSONValue?) throws -> Set<AlertState>? {
        guard let value else { return nil }
        let items = value.arrayValue ?? [value]
        var states = Set<AlertState>()
        for item in items.prefix(8) {
            guard let text = item.stringValue, let state = AlertState(rawValue: text) else {
                throw APIError.unprocessable("bad state", fields: ["state": ["Must be one of: inactive, pending, firing, resolved."]])
            }
            states.insert(state)
        }
        return states
    }

    static func object(of request: Request, allowed: Set<String>) async throws -> [String: JSONValue] {
        let bytes = try await JSONBody.body(of: request, limit: bodyLimit)
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return [:] }
        let body: JSONValue
        do { body = try JSONParser.parse(bytes) } catch { throw APIError.invalidRequest("the body is not valid JSON: \(error.description)") }
        guard case let .object(members) = body else {
            throw APIError.unprocessable("send a JSON object", fields: ["_schema": ["Invalid input type: expected an object, got \(body.kindName)."]])
        }
        var errors: [String: [String]] = [:]
        for key in members.keys where !allowed.contains(key) { errors[key] = ["Unknown field."] }
        guard errors.isEmpty else { throw APIError.unprocessable("the message has unknown fields; nothing was changed", fields: errors) }
        return members
    }

    static func text(_ value: JSONValue?, field: String) throws -> String? {
        guard let value, value != .null else { return nil }
        guard let text = value.stringValue else {
            throw APIError.unprocessable("the message has invalid fields", fields: [field: ["Not a valid string."]])
        }
        return text
    }
}
