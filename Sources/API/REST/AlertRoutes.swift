import Alerting
import Beliefs
import HTTPTypes
import Hummingbird
import Registry
import Site

/// The alerting resources of v2.0, with the conventions of `assets`: `GET/POST /alert-rules`,
/// `GET/PATCH/DELETE /alert-rule/<id>`, `GET /alerts` (optionally `?state=firing` or a list of states; both
/// listings paged with `page` and `per_page`),
/// `POST /alert/<id>/acknowledge` (`{"comment": "..."}`) and `POST /alert/<id>/silence` (`{"duration":
/// "PT2H", "comment": "..."}`), and silences by matchers: `GET/POST /silences`, `DELETE /silence/<id>`. An asset's
/// owner manages the rules of their assets' sensors, their alerts and the silences confined to them,
/// admins all of them. The handlers translate; `Site` checks fields and access (`AlertError`).
enum AlertRoutes {
    static let bodyLimit = 64 * 1024

    static func routes(_ services: APIServices) -> [APIRoute] {
        let prefix = APIVersion.v2_0.prefix
        return [
            APIRoute(.get, "\(prefix)/alert-rules") { request, _ in
                let user = try services.authenticate(request)
                let page = try paging(JSONBody.queryMessage(request.uri))
                return pagedResponse(try services.site.alertRules(visibleTo: user, page: page), json: \.json, path: "\(prefix)/alert-rules", query: [:])
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
                let query = JSONBody.queryMessage(request.uri)
                let states = try states(query["state"])
                let page = try paging(query)
                let kept = states.map { ["state": $0.map(\.rawValue).sorted()] } ?? [:]
                return pagedResponse(try services.site.alerts(visibleTo: user, states: states, page: page), json: \.json, path: "\(prefix)/alerts", query: kept)
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
            APIRoute(.get, "\(prefix)/silences") { request, _ in
                let user = try services.authenticate(request)
                let page = try paging(JSONBody.queryMessage(request.uri))
                return pagedResponse(try services.site.silences(visibleTo: user, page: page), json: \.json, path: "\(prefix)/silences", query: [:])
            },
            APIRoute(.post, "\(prefix)/silences") { request, _ in
                let user = try services.authenticate(request)
                let body = try await object(of: request, allowed: ["matchers", "duration", "endsAt", "comment", "createdBy", "startsAt"])
                let (matchers, expiry) = try silenceFields(body, now: services.site.clock())
                let comment = try text(body["comment"], field: "comment") ?? ""
                let silence = try await services.site.addSilence(matchers, expiry: expiry, comment: comment, by: user)
                return JSONBody.response(silence.json, status: .created)
            },
            APIRoute(.delete, "\(prefix)/silence/:id") { request, context in
                let user = try services.authenticate(request)
                _ = try await services.site.expireSilence(id: try RESTParameters.id(context), by: user)
                return Response(status: .noContent)
            },
        ]
    }

    /// A silence as Alertmanager's API takes it: `matchers` (objects of `name`, `value`, `isEqual` (default
    /// true) and `isRegex` (only false: the site matches labels exactly), or `name=value` / `name!=value`
    /// strings), its end as `duration` (ISO 8601) or `endsAt` (an ISO 8601 time), `comment`; `startsAt` may
    /// only say now or earlier (a silence starts when made), `createdBy` is taken from the token and what is
    /// sent there is ignored. Every field's problem is named.
    static func silenceFields(_ body: [String: JSONValue], now: Instant) throws -> (matchers: [LabelMatcher], expiry: Site.SilenceExpiry) {
        var errors: [String: [String]] = [:]
        var matchers: [LabelMatcher] = []
        if let list = body["matchers"]?.arrayValue {
            for (index, item) in list.prefix(Site.maximumMatchers + 1).enumerated() {
                if let text = item.stringValue {
                    if text.utf8.count <= 600, let matcher = LabelMatcher(parsing: text) { matchers.append(matcher) } else {
                        errors["matchers", default: []].append("Matcher \(index + 1): not name=value or name!=value.")
                    }
                } else if case let .object(fields) = item {
                    let unknown = Set(fields.keys).subtracting(["name", "value", "isEqual", "isRegex"])
                    guard unknown.isEmpty, let name = fields["name"]?.stringValue, let value = fields["value"]?.stringValue else {
                        errors["matchers", default: []].append("Matcher \(index + 1): give name and value (strings), isEqual and isRegex (booleans), nothing else.")
                        continue
                    }
                    let isEqual = fields["isEqual"].map { $0 == .null ? true : $0.boolValue } ?? true
                    let isRegex = fields["isRegex"].map { $0 == .null ? false : $0.boolValue } ?? false
                    guard let isEqual, let isRegex else {
                        errors["matchers", default: []].append("Matcher \(index + 1): isEqual and isRegex must be booleans.")
                        continue
                    }
                    if isRegex {
                        errors["matchers", default: []].append("Matcher \(index + 1): regular expressions are not supported; give the label's exact value.")
                        continue
                    }
                    matchers.append(LabelMatcher(name: name, value: value, equal: isEqual))
                } else {
                    errors["matchers", default: []].append("Matcher \(index + 1): an object or a string.")
                }
            }
        } else {
            errors["matchers"] = ["Missing data for required field: a list of matchers."]
        }
        if let starts = body["startsAt"], starts != .null {
            if let text = starts.stringValue, let instant = try? Instant.parseISO8601(text) {
                if instant > now { errors["startsAt"] = ["A silence starts when it is made; leave startsAt out or give now."] }
            } else {
                errors["startsAt"] = ["Not a valid ISO 8601 time."]
            }
        }
        if let creator = body["createdBy"], creator != .null, creator.stringValue.map({ $0.utf8.count > 200 }) ?? true {
            errors["createdBy"] = ["A string of at most 200 bytes (the silence is made in the name of the token's user)."]
        }
        var expiry: Site.SilenceExpiry?
        switch (body["duration"].flatMap { $0 == .null ? nil : $0 }, body["endsAt"].flatMap { $0 == .null ? nil : $0 }) {
        case (nil, nil):
            errors["duration"] = ["Give duration (ISO 8601, e.g. PT2H) or endsAt (an ISO 8601 time)."]
        case (.some, .some):
            errors["endsAt"] = ["Give duration or endsAt, not both."]
        case let (.some(value), nil):
            if let text = value.stringValue, let span = try? Timespan.parseISO8601(text) { expiry = .duration(span) } else {
                errors["duration"] = ["Not a valid ISO 8601 duration (e.g. PT2H)."]
            }
        case let (nil, .some(value)):
            if let text = value.stringValue, let end = try? Instant.parseISO8601(text) { expiry = .endsAt(end) } else {
                errors["endsAt"] = ["Not a valid ISO 8601 time."]
            }
        }
        guard errors.isEmpty, let expiry else { throw APIError.unprocessable("the silence has invalid fields; nothing was changed", fields: errors) }
        return (matchers, expiry)
    }

    /// `page` (from 1, at most 100000) and `per_page` (1 to 1000, default 100) of a listing's query.
    static func paging(_ query: [String: JSONValue]) throws -> Paging {
        var errors: [String: [String]] = [:]
        func whole(_ field: String, default value: Int, upTo maximum: Int) -> Int {
            guard let sent = query[field] else { return value }
            guard let number = sent.numberValue, number.rounded() == number, number >= 1, number <= Double(maximum) else {
                errors[field] = ["Must be a whole number from 1 to \(maximum)."]
                return value
            }
            return Int(number)
        }
        let page = whole("page", default: 1, upTo: Paging.maximumPage)
        let perPage = whole("per_page", default: Paging.defaultPerPage, upTo: Paging.maximumPerPage)
        guard errors.isEmpty, let paging = Paging(page: page, perPage: perPage) else {
            throw APIError.unprocessable("the listing's paging is invalid", fields: errors)
        }
        return paging
    }

    /// A page as a JSON array (the shape of the v2.0 listings), with the whole listing's count in
    /// `X-Total-Count` and, while later pages have items, their address in `Link` (`rel="next"`).
    static func pagedResponse<Item>(_ paged: Paged<Item>, json: (Item) -> JSONValue, path: String, query: [String: [String]]) -> Response {
        var response = JSONBody.response(.array(paged.items.map(json)))
        response.headers[HTTPField.Name("X-Total-Count")!] = String(paged.total)
        if paged.hasMore {
            var parts = query.keys.sorted().flatMap { key in query[key]!.map { "\(key)=\($0)" } }
            parts += ["page=\(paged.paging.page + 1)", "per_page=\(paged.paging.perPage)"]
            response.headers[HTTPField.Name("Link")!] = "<\(path)?\(parts.joined(separator: "&"))>; rel=\"next\""
        }
        return response
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
