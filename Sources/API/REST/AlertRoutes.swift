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
/// "PT2H", "comment": "..."}`). An asset's owner manages the rules of their assets' sensors and their alerts,
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
        ]
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
