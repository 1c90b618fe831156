import Beliefs
import Foundation
import TestSupport

/// The seeded source of `APIFuzzTests`' requests: a valid message of a route and version drawn at
/// random (every route of every version), then none to three mutations of the classes below. The
/// same seed gives the same requests (the answers steer only `lastEventID`, created assets and reposts).
struct FuzzCorpus {
    static let versions = ["v1", "v1_1", "v1_2", "v1_3", "v2_0"]
    static let owner = "ea1.2018-06.io.flexmeasures.company:2"
    static let market = "ea1.2018-06.localhost:epex_da"
    static let thermometer = "ea1.2018-06.localhost:temperature:33.4843866:126.477859"
    /// Scheduling has prices from here (`APIFuzzTests.postPrices`); UDI events are dated after it.
    static let pricesStart = Instant(secondsSinceEpoch: 1_433_203_200)  // 2015-06-02T00:00:00Z
    static let dataStart = Instant(secondsSinceEpoch: 946_684_800)  // 2000-01-01T00:00:00Z

    private var rng: SeededGenerator
    private(set) var count = 0
    /// The newest UDI event id the daemon accepted: getDeviceMessage asks for it.
    var lastEventID: Int64 = 999
    /// Accepted event ids above this (Int64.max is a valid id) are not followed: the next ids the corpus
    /// makes from the last one must not overflow.
    static let largestFollowedEventID: Int64 = 1 << 60
    /// Assets the run created (admins may patch and delete them).
    var createdAssets: [Int64] = []
    /// The last write the daemon accepted, for reposts.
    var lastAccepted: FuzzRequest?

    /// Mutation classes left out (while a known failure is being fixed, the rest can still find new ones).
    let skipped: Set<String>

    init(seed: UInt64, skipping skipped: Set<String> = []) {
        rng = SeededGenerator(seed: seed)
        self.skipped = skipped
    }

    // MARK: Randomness

    mutating func number(below bound: Int) -> Int { Int(rng.next() % UInt64(bound)) }
    mutating func chance(_ probability: Double) -> Bool { rng.uniform() < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[number(below: items.count)] }

    // MARK: Requests

    /// The next request: a valid message, mutated unless the draw leaves it valid (one in eight).
    mutating func next() -> FuzzRequest {
        let index = count
        count += 1
        // Unique per request, exactly representable, never a value a valid message of this run has.
        let marker = 1_000_000 + Double(index) + 0.25
        var request = template(index: index, marker: marker)
        if !chance(0.125) {
            for _ in 0...number(below: 3) { mutate(&request, marker: marker) }
        }
        return request
    }

    private static func time(_ instant: Instant) -> FuzzValue { .string(instant.iso8601) }

    private mutating func template(index: Int, marker: Double) -> FuzzRequest {
        let version = pick(Self.versions)
        let prefix = "/api/\(version)"
        let isV2 = version == "v2_0"
        let start = Self.dataStart + .hours(Int64(index))
        let connection: FuzzValue = .string("\(Self.owner):\(pick(["4", "2"]))")
        let values: FuzzValue = .array(Array(repeating: .number(marker), count: 4))
        let eventID = lastEventID + 1 + Int64(number(below: 3))
        let eventTime = Self.pricesStart + .seconds(Int64(index))

        func get(_ name: String, _ query: [(String, FuzzValue)], as user: String? = "prosumer") -> FuzzRequest {
            FuzzRequest(route: "GET \(prefix)/\(name)", method: "GET", path: "\(prefix)/\(name)", query: query, authorization: user.map { FuzzRequest.Authorization.user($0) } ?? FuzzRequest.Authorization.none)
        }
        func post(_ name: String, _ fields: [(String, FuzzValue)], as user: String = "prosumer", marker: Double? = nil) -> FuzzRequest {
            FuzzRequest(route: "POST \(prefix)/\(name)", method: "POST", path: "\(prefix)/\(name)", body: .object(fields),
                        authorization: .user(user), marker: marker)
        }
        func rest(_ method: String, _ path: String, _ body: FuzzValue? = nil, query: [(String, FuzzValue)]? = nil, as user: String) -> FuzzRequest {
            FuzzRequest(route: "\(method) \(path.replacingOccurrences(of: #"/\d+"#, with: "/<id>", options: .regularExpression))",
                        method: method, path: path, query: query, body: body, authorization: .user(user))
        }
        let powerWindow: [(String, FuzzValue)] = [("connection", connection), ("start", Self.time(start)), ("duration", "PT1H"), ("unit", "MW")]

        switch number(below: 25) {
        case 0:
            return get("getService", [("access", .string(pick(["Prosumer", "MDC", "ESCo", "Supplier"])))], as: chance(0.5) ? nil : "prosumer")
        case 1, 2:
            var query: [(String, FuzzValue)] = [("type", "GetMeterDataRequest")] + powerWindow
            if chance(0.3) { query.append(("resolution", "PT30M")) }
            if chance(0.2) { query.append(("horizon", "R/PT0H")) }
            if version == "v1" && chance(0.3) {
                return post("getMeterData", query)
            }
            return get("getMeterData", query)
        case 3, 4, 5:
            var fields: [(String, FuzzValue)] = [("type", "PostMeterDataRequest"), ("connection", connection), ("values", values),
                                                 ("start", Self.time(start)), ("duration", "PT1H"), ("unit", "MW")]
            if !isV2 { fields.append(("horizon", "-PT5M")) } else if chance(0.5) { fields.append(("prior", Self.time(start + .minutes(65)))) }
            return post("postMeterData", fields, marker: marker)
        case 6 where version != "v1":
            return get("getConnection", [("type", "GetConnectionRequest")])
        case 7 where version != "v1":
            return get("getPrognosis", [("type", "GetPrognosisRequest")] + powerWindow)
        case 8 where version != "v1", 9 where version != "v1":
            var fields: [(String, FuzzValue)] = [("type", "PostPrognosisRequest"), ("connection", connection), ("values", values),
                                                 ("start", Self.time(start)), ("duration", "PT1H"), ("unit", "MW")]
            fields.append(isV2 ? ("prior", Self.time(start - .hours(6))) : ("horizon", "PT6H"))
            return post("postPrognosis", fields, marker: marker)
        case 10 where version != "v1":
            var fields: [(String, FuzzValue)] = [("type", "PostPriceDataRequest"), ("market", .string(Self.market)),
                                                 ("values", .array([.number(marker), .number(marker)])), ("start", Self.time(start)),
                                                 ("duration", "PT2H"), ("unit", "EUR/MWh")]
            fields.append(isV2 ? ("prior", Self.time(start - .hours(12))) : ("horizon", "PT33H"))
            return post("postPriceData", fields, marker: marker)
        case 11 where version != "v1":
            var fields: [(String, FuzzValue)] = [("type", "PostWeatherDataRequest"), ("sensor", .string(Self.thermometer)), ("values", values),
                                                 ("start", Self.time(start)), ("duration", "PT1H"), ("unit", "°C")]
            fields.append(isV2 ? ("prior", Self.time(start - .hours(3))) : ("horizon", "PT3H"))
            return post("postWeatherData", fields, marker: marker)
        case 12 where version >= "v1_2", 13 where version >= "v1_2":
            let withTargets = version >= "v1_3" && chance(0.5)
            var fields: [(String, FuzzValue)] = [
                ("type", "PostUdiEventRequest"),
                ("event", .string("\(Self.owner):\(pick(["4", "2"])):\(eventID):\(withTargets ? "soc-with-targets" : "soc")")),
                ("value", .number(Double(1000 + number(below: 3000)))), ("unit", "kWh"), ("datetime", Self.time(eventTime)),
            ]
            if withTargets {
                fields.append(("targets", .array([.object([("value", .number(Double(number(below: 4500)))), ("datetime", Self.time(eventTime + .hours(6)))])])))
            }
            return post("postUdiEvent", fields)
        case 14 where version >= "v1_2":
            var query: [(String, FuzzValue)] = [("type", "GetDeviceMessageRequest"), ("event", .string("\(Self.owner):\(pick(["4", "2"])):\(lastEventID):soc"))]
            if chance(0.5) { query.append(("duration", "PT6H")) }
            return get("getDeviceMessage", query)
        case 15:
            return pick([
                rest("GET", "/api/v2_0/assets", as: "prosumer"),
                rest("GET", "/api/v2_0/assets", query: [("owner_id", 2)], as: "admin"),
                rest("GET", "/api/v2_0/asset/4", as: "prosumer"),
            ])
        case 16:
            return rest("POST", "/api/v2_0/assets", .object([
                ("name", .string("fuzz-\(index)")), ("asset_type", "battery"), ("unit", "MW"), ("owner", 2), ("event_resolution", 15),
                ("capacity_in_mw", 1.5), ("latitude", 33), ("longitude", 126), ("min_soc_in_mwh", 0), ("max_soc_in_mwh", 2), ("market", 1),
            ]), as: "admin")
        case 17:
            let target = createdAssets.isEmpty ? 7 : pick(createdAssets)
            if !createdAssets.isEmpty && chance(0.3) {
                return rest("DELETE", "/api/v2_0/asset/\(target)", as: "admin")
            }
            return rest("PATCH", "/api/v2_0/asset/\(target)", .object([("display_name", .string("patched \(index)")), ("capacity_in_mw", 1)]),
                        as: chance(0.5) ? "admin" : "prosumer")
        case 18:
            return pick([
                rest("GET", "/api/v2_0/users", query: [("include_inactive", "true")], as: "admin"),
                rest("GET", "/api/v2_0/user/2", as: "prosumer"),
                rest("PATCH", "/api/v2_0/user/2", .object([("timezone", "Europe/Amsterdam")]), as: "prosumer"),
                rest("PATCH", "/api/v2_0/user/3", .object([("timezone", "Asia/Seoul"), ("active", true)]), as: "admin"),
                rest("PATCH", "/api/v2_0/user/3/password-reset", as: "admin"),
            ])
        case 19:
            var query: [(String, FuzzValue)] = [("resource", .string(pick(["battery", "4"]))), ("start_time", Self.time(start)),
                                                ("end_time", Self.time(start + .hours(24)))]
            if chance(0.5) { query.append(("resolution", "PT1H")) }
            return rest("GET", "/api/v2_0/charts/power", query: query, as: "prosumer")
        case 20:
            return FuzzRequest(route: "POST /api/requestAuthToken", method: "POST", path: "/api/requestAuthToken",
                               body: .object([("email", "prosumer@example.com"), ("password", "password-prosumer")]), authorization: .none)
        case 21 where number(below: 8) == 0:
            // Rare: it replaces every belief with the backup's (none here).
            let path = chance(0.5) ? "/api/restoreData" : "\(prefix)/restoreData"
            return FuzzRequest(route: "PUT /api/<version>/restoreData", method: "PUT", path: path,
                               body: .object([("backup", "empty_v0")]), authorization: .user("admin"))
        case 22:
            return pick([
                FuzzRequest(route: "GET /api/", method: "GET", path: "/api/", authorization: .none),
                FuzzRequest(route: "GET /api/health", method: "GET", path: "/api/health", authorization: .none),
                FuzzRequest(route: "GET /metrics", method: "GET", path: "/metrics", authorization: .none),
            ])
        case 24:
            return pick([
                rest("POST", "/api/v2_0/alert-rules", .object([
                    ("name", .string("fuzz \(index)")), ("kind", "threshold_above"), ("sensor_id", 4), ("value", .number(marker)),
                    ("recovery", 1), ("for", "PT15M"), ("repeat_interval", "PT1H"),
                ]), as: "prosumer"),
                rest("POST", "/api/v2_0/alert-rules", .object([
                    ("name", .string("fuzz gap \(index)")), ("kind", "gap"), ("asset_type", "battery"), ("resolutions", 3),
                ]), as: "admin"),
                rest("POST", "/api/v2_0/alert-rules", .object([
                    ("name", .string("fuzz leak \(index)")), ("kind", "idle_use"), ("sensor_id", 2), ("level", 0.1), ("window", "01:00-05:00"),
                ]), as: "prosumer"),
                rest("PATCH", "/api/v2_0/alert-rule/\(1 + number(below: 4))", .object([("for", "PT30M"), ("severity", "critical")]), as: "admin"),
                rest("GET", "/api/v2_0/alerts", query: [("state", "firing")], as: "prosumer"),
                rest("POST", "/api/v2_0/alert/1/silence", .object([("duration", "PT2H"), ("comment", "fuzz")]), as: "prosumer"),
                rest("POST", "/api/v2_0/alert/1/acknowledge", .object([("comment", "fuzz")]), as: "admin"),
            ])
        default:
            // The routes with a version constraint fall back to the commonest message: meter data.
            var fields: [(String, FuzzValue)] = [("type", "PostMeterDataRequest"), ("connection", connection), ("values", values),
                                                 ("start", Self.time(start)), ("duration", "PT1H"), ("unit", "MW")]
            if !isV2 { fields.append(("horizon", "-PT5M")) }
            return post("postMeterData", fields, marker: marker)
        }
    }

    // MARK: Mutations

    static let times = [
        "9999-12-31T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-14:00",
        "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "292278994-08-17T07:12:55Z",
        "2015-02-30T00:00:00Z", "2015-01-01T24:00:00Z", "2015-13-01T00:00:00Z", "2015-01-01T00:00:00.9999999999999Z",
        "2015-01-01T00:00:00+99:99", "2015-01-01T00:00:00+23:59", "2015-01-01", "2015-01-01T00:00:00", "", "now",
        "1970-01-01T00:00:00Z", "2015-01-01T00:00:00.0000001Z", "2015-W01", "9223372036854775807",
        "2015-01-01T00:00:60Z", "2015-01-01T00:00:00+00:00:00", "99999-12-31T00:00:00Z",
    ]
    static let durations = [
        "P106751991D", "PT9223372036854S", "P100000000D", "P3650D", "-P106751991D", "PT9223372036854775807S",
        "P9223372036854775807D", "P1Y", "P1M", "P0D", "PT0S", "-PT15M", "PT1.5M", "PT0.000001S", "P99999999999999999999D",
        "PT15M/extra", "R/PT15M", "P", "PT", "P1DT", "", "PT1H30M15.5S", "P2W", "PT106751991H", "P1000000W", "PT1e9S",
        "P106751992D", "PT153722867280M", "-PT9223372036854S",
    ]
    static let horizons = [
        "-P106751991D", "R/-P106751991D", "P106751991D", "R/P106751991D", "-PT9223372036854S", "R/PT9223372036854S",
        "R/-PT9223372036854775807S", "R/", "R//", "R/R/PT1H", "-R/PT1H", "R/-P100000000D", "PT0S", "-P0D", "R/P3650D",
        "P1Y", "x", "R/-P1Y", "R5/PT1H", "R/PT1H/2015-01-01T00:00:00Z",
    ]
    static let hugeDurations = ["P3650D", "P36500D", "P100000000D", "P106751991D", "PT9223372036854S", "P1000000D"]
    static let ids = [
        "9223372036854775807", "9223372036854775806", "9223372036854775808", "-9223372036854775808", "-1", "0",
        "99999999999999999999", "1e3", "0x10", " 4", "4 ", "+4", "", "4.0",
    ]
    static let numbers = [
        "1e400", "-1e400", "1e-400", "123456789012345678901234567890", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "1.7976931348623157e308", "-1.7976931348623157e308", "4.9e-324", "-0", "0e99999",
        "1E+2147483648", "NaN", "Infinity", "-Infinity", "00012", ".5", "1.", "+1", "0x10", "1e", "-",
        "1" + String(repeating: "0", count: 5000), "0." + String(repeating: "0", count: 5000) + "1",
    ]
    static let wrongTypes: [FuzzValue] = [
        .raw("\"x\""), .bool(true), .null, .object([]), .array([]), .array([.null]), .array([.string("1")]),
        .object([("a", 1)]), .number(1), .string(""), .array([.array([1])]), .array([.object([])]),
    ]
    static let strangeStrings = [
        "ea1.2018-06.io.flexmeasures.company:2:4\u{202E}", "\u{1F50B}", "e\u{301}", "\u{FEFF}", "a\u{0}b",
        "ea1.2018-06.io.flexmeasures.company:2:4:", "ea1.2018-06.io.flexmeasures.company::::", "ea1.", "ea1.9999-99.x:2:4",
        "ea1.2018-06.io.flexmeasures.company:2:4:1:soc:extra", String(repeating: ":", count: 10_000),
        "../../../../etc/passwd", "%s%s%s%n", "' OR 1=1 --", "\u{10FFFF}",
    ]

    private mutating func mutate(_ request: inout FuzzRequest, marker: Double) {
        // Amplified posts are drawn a third as often as the rest: an accepted one stores years of beliefs.
        let classes = ["time", "duration", "horizon", "id", "escapes", "nesting", "number", "type", "missing",
                       "body", "header", "upgrade", "framing", "auth", "repost", "query", "string", "method"]
        let mutation = chance(1.0 / 55) ? "amplify" : pick(classes)
        guard !skipped.contains(mutation) else { return }
        request.classes.append(mutation)
        switch mutation {
        case "time":
            let keys = ["start", "datetime", "prior", "start_time", "end_time"].filter { request.has($0) }
            let value = pick(Self.times)
            if request.has("targets"), chance(0.3) {
                request.setTargets(.array([.object([("value", 1000), ("datetime", .string(value))])]))
                request.mutations.append("targets[0].datetime=\(value)")
            } else {
                let key = keys.isEmpty ? "start" : pick(keys)
                request.set(key, .string(value))
                request.mutations.append("\(key)=\(value)")
            }
        case "duration":
            let key = request.has("resolution") && chance(0.3) ? "resolution" : "duration"
            let value = pick(Self.durations)
            request.set(key, .string(value))
            request.mutations.append("\(key)=\(value)")
        case "horizon":
            let value = pick(Self.horizons + Self.durations.prefix(8))
            request.set("horizon", .string(value))
            request.mutations.append("horizon=\(value)")
        case "amplify":
            request.heavy = true
            let duration = pick(Self.hugeDurations)
            if request.has("values") || request.has("value") {
                request.set("values", nil)
                request.set(pick(["values", "value"]), request.method == "POST" ? .array([.number(marker)]) : .number(marker))
            }
            if request.has("end_time") {
                request.set("start_time", .string(pick(["0001-01-01T00:00:00Z", "2000-01-01T00:00:00Z"])))
                request.set("end_time", .string("9999-12-31T00:00:00Z"))
                request.mutations.append("chart window 0001..9999")
            } else {
                request.set("duration", .string(duration))
                if chance(0.3) { request.set("resolution", "PT15M") }
                request.mutations.append("amplify: one value, duration=\(duration)")
            }
        case "id":
            let id = pick(Self.ids)
            if request.has("event") {
                let kind = chance(0.5) ? "soc" : "soc-with-targets"
                let address = pick([
                    "\(Self.owner):4:\(id):\(kind)", "\(Self.owner):\(id):\(lastEventID + 1):soc",
                    "ea1.2018-06.io.flexmeasures.company:\(id):4:\(lastEventID + 1):soc",
                ])
                request.set("event", .string(address))
                request.mutations.append("event=\(address)")
            } else if request.has("connection") {
                let address = pick(["\(Self.owner):\(id)", "ea1.2018-06.io.flexmeasures.company:\(id):4", id])
                request.set("connection", .string(address))
                request.mutations.append("connection=\(address)")
            } else if request.path.range(of: #"/\d+"#, options: .regularExpression) != nil {
                request.path = request.path.replacingOccurrences(of: #"/\d+"#, with: "/\(Self.escapePath(id))", options: .regularExpression)
                request.mutations.append("path id=\(id)")
            } else if request.has("owner") || request.has("owner_id") || request.has("market") {
                let key = request.has("owner") ? pick(["owner", "market"]) : "owner_id"
                request.set(key, .raw(id.isEmpty ? "\"\"" : id))
                request.mutations.append("\(key)=\(id)")
            } else {
                request.set("id", .raw(id.isEmpty ? "\"\"" : id))
                request.mutations.append("id=\(id)")
            }
        case "escapes":
            let (name, text): (String, String) = pick([
                ("\\n x 100k", "\"" + String(repeating: "\\n", count: 100_000) + "\""),
                ("\\u0000 x 30k", "\"" + String(repeating: "\\u0000", count: 30_000) + "\""),
                ("\\\\ x 100k", "\"" + String(repeating: "\\\\", count: 100_000) + "\""),
                ("\\ud800 x 20k", "\"" + String(repeating: "\\ud800", count: 20_000) + "\""),
                ("lone \\ud800", "\"\\ud800\""), ("lone \\udfff", "\"a\\udfffb\""), ("truncated \\u00", "\"\\u00\""),
                ("invalid \\x41", "\"\\x41\""), ("1 MB string", "\"" + String(repeating: "a", count: 1_000_000) + "\""),
                ("\\u escapes of the address", "\"" + "ea1.2018-06.io.flexmeasures.company:2:4".unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined() + "\""),
            ])
            let key = request.stringKeys.isEmpty ? "type" : pick(request.stringKeys)
            request.set(key, .raw(text))
            request.mutations.append("\(key)=\(name)")
        case "nesting":
            // In a query string the text is percent-encoded three times over: no deeper than 10,000 there.
            let depth = pick(request.query == nil ? [100, 1_000, 10_000, 100_000, 1_000_000] : [100, 1_000, 10_000])
            let arrays = chance(0.6)
            let nested = arrays ? String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
                : String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
            if chance(0.3), request.body != nil || request.method != "GET" {
                let body = String(decoding: request.bodyBytes, as: UTF8.self)
                request.rawBody = Data((String(repeating: "[", count: depth) + body + String(repeating: "]", count: depth)).utf8)
                request.mutations.append("body inside \(depth) arrays")
            } else {
                let key = request.keys.isEmpty ? "values" : pick(request.keys)
                request.set(key, .raw(nested))
                request.mutations.append("\(key)=\(arrays ? "arrays" : "objects") nested \(depth) deep")
            }
        case "number":
            let number = pick(Self.numbers)
            let keys = ["values", "value", "event_resolution", "capacity_in_mw", "latitude", "longitude", "owner", "max_soc_in_mwh", "targets"]
                .filter { request.has($0) }
            let key = keys.isEmpty ? "values" : pick(keys)
            switch key {
            case "values": request.set(key, .array([.number(marker), .raw(number), .number(marker)]))
            case "targets": request.setTargets(.array([.object([("value", .raw(number)), ("datetime", .string((Self.pricesStart + .hours(30)).iso8601))])]))
            default: request.set(key, .raw(number))
            }
            request.mutations.append("\(key) holds \(number.count > 40 ? "\(number.prefix(12))...(\(number.count) chars)" : number)")
        case "type":
            let key = request.keys.isEmpty ? "type" : pick(request.keys)
            let value = pick(Self.wrongTypes)
            request.set(key, value)
            request.mutations.append("\(key)=\(value.json)")
        case "missing":
            if chance(0.2) {
                if request.query != nil { request.query = [] } else { request.body = .object([]) }
                request.mutations.append("empty message")
            } else if let key = request.keys.isEmpty ? nil : pick(request.keys) {
                request.set(key, nil)
                request.mutations.append("no \(key)")
            }
        case "body":
            let original = request.bodyBytes
            let bodies: [(String, Data)] = [
                ("empty body", Data()), ("body {", Data("{".utf8)), ("body }", Data("}".utf8)), ("body []", Data("[]".utf8)),
                ("body null", Data("null".utf8)), ("body 1", Data("1".utf8)), ("body \"x\"", Data("\"x\"".utf8)),
                ("truncated body", original.prefix(original.count / 2)),
                ("invalid UTF-8", Data([0xFF, 0xFE, 0x7B, 0xC0, 0x80, 0x7D])),
                ("BOM + body", Data([0xEF, 0xBB, 0xBF]) + original),
                ("duplicate keys", Data(#"{"type":"PostMeterDataRequest","type":"GetMeterDataRequest","values":[1],"values":"x"}"#.utf8)),
                ("4 MB + 1 body", Data(repeating: 0x20, count: 4 * 1024 * 1024 - 1) + Data("{}".utf8)),
                ("body + garbage", original + Data("}}]]xyz".utf8)), ("NUL body", Data([0])),
                ("two bodies", original + original),
            ]
            let (name, data) = pick(bodies)
            request.rawBody = data
            request.mutations.append(name)
        case "header":
            switch number(below: 6) {
            case 0:
                let size = pick([8_000, 65_536, 1_000_000])
                request.headers.append(("X-Fuzz", String(repeating: "a", count: size)))
                request.mutations.append("header of \(size) bytes")
            case 1:
                request.headers += (0..<pick([100, 1000, 10_000])).map { ("X-F-\($0)", "v") }
                request.mutations.append("\(request.headers.count) headers")
            case 2:
                let size = pick([10_000, 100_000, 1_000_000])
                request.rawQuery = (request.queryString.map { $0 + "&" } ?? "") + "pad=" + String(repeating: "a", count: size)
                request.mutations.append("query of \(size) bytes")
            case 3:
                let size = pick([10_000, 100_000])
                request.path += "/" + String(repeating: "a", count: size)
                request.mutations.append("path of \(size) bytes")
            case 4:
                request.headers.append(("Cookie", (0..<5000).map { "c\($0)=\($0)" }.joined(separator: "; ")))
                request.mutations.append("5000 cookies")
            default:
                request.headers.append(("Origin", "https://" + String(repeating: "o", count: 50_000) + ".example"))
                request.mutations.append("50 kB Origin")
            }
        case "upgrade":
            switch number(below: 3) {
            case 0:
                request.framing = .connection("Upgrade, HTTP2-Settings")
                request.headers += [("Upgrade", "h2c"), ("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA")]
                request.mutations.append("Connection: Upgrade, Upgrade: h2c")
            case 1:
                request.framing = .connection("Upgrade")
                request.headers += [("Upgrade", "websocket"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13")]
                request.mutations.append("Connection: Upgrade, Upgrade: websocket")
            default:
                var preface = Data("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
                preface += Data([0, 0, 0, 4, 0, 0, 0, 0, 0])  // an empty SETTINGS frame
                request.framing = .whole(preface)
                request.mutations.append("HTTP/2 prior-knowledge preface")
            }
        case "framing":
            let framing: (String, FuzzRequest.Framing) = pick([
                ("Content-Length: abc", .contentLength("abc")), ("Content-Length: -1", .contentLength("-1")),
                ("Content-Length: 2^64", .contentLength("18446744073709551616")), ("two Content-Lengths", .conflictingContentLengths),
                ("chunk size ffffffffffffffff", .chunked("ffffffffffffffff\r\n{}\r\n0\r\n\r\n")), ("chunk size zz", .chunked("zz\r\n{}\r\n0\r\n\r\n")),
                ("chunked, no last chunk", .chunked("2\r\n{}\r\n")), ("chunked and Content-Length", .chunkedAndContentLength),
                ("HTTP/1.0", .version("HTTP/1.0")), ("HTTP/9.9", .version("HTTP/9.9")), ("HTTP/1.1x", .version("HTTP/1.1x")),
                ("method get", .method("get")), ("method FOO", .method("FOO")), ("method of 10k letters", .method(String(repeating: "G", count: 10_000))),
                ("target *", .target("*")), ("absolute target", .target("http://localhost/api/")), ("target without /", .target("api/")),
                ("target %00", .target("/api/%00")), ("target %zz", .target("/api/v2_0/%zz")),
                ("target ../", .target("/api/v2_0/../../../etc/passwd")), ("target of 1000 %2e%2e/", .target("/" + String(repeating: "%2e%2e/", count: 1000))),
                ("header without colon", .headerLine("NoColonHeader")), ("NUL in a header", .headerLine("X-A: a\u{0}b")),
                ("folded header", .headerLine("X-A: a\r\n folded")), ("space before colon", .headerLine("X-A : b")),
                ("Expect: 100-continue", .headerLine("Expect: 100-continue")), ("pipelined GET /api/", .pipelined),
                ("Transfer-Encoding: gzip", .headerLine("Transfer-Encoding: gzip")),
            ])
            request.framing = framing.1
            request.mutations.append(framing.0)
        case "auth":
            let choice: (String, FuzzRequest.Authorization) = pick([
                ("no token", .none), ("token garbage", .literal("garbage")), ("Bearer x", .literal("Bearer x")),
                ("token of mdc", .user("mdc")), ("token of anonymous", .user("anonymous")), ("token of norole", .user("norole")),
                ("token of other", .user("other")), ("forged token of Int64.max", .literal("9223372036854775807.1795774778.0UnRAAAA")),
                ("token with huge time", .literal("2.99999999999999999999.AAAA")), ("token with negative time", .literal("2.-1.AAAA")),
                ("token of 100 kB", .literal(String(repeating: "a", count: 100_000))), ("empty token", .literal("")),
                ("token with 10k dots", .literal(String(repeating: ".", count: 10_000))),
            ])
            request.authorization = choice.1
            request.mutations.append(choice.0)
        case "repost":
            guard let last = lastAccepted else { return }
            request = FuzzRequest(route: last.route, method: last.method, path: last.path, body: last.body, rawBody: last.rawBody,
                                  authorization: last.authorization, mutations: ["repost of an accepted write"], marker: last.marker)
            request.classes = ["repost"]
        case "query":
            guard var query = request.query else {
                // A GET message may come as a JSON body too.
                return
            }
            switch number(below: 4) {
            case 0:
                if let field = query.randomElementFrom(&self) { query.append(field) }
                request.query = query
                request.mutations.append("a key twice")
            case 1:
                request.body = .object(query)
                request.query = nil
                request.mutations.append("GET message as a JSON body")
            case 2:
                request.rawQuery = pick(["%zz", "%", "a=%ff%fe", "=&=&&", "type", String(repeating: "a=1&", count: 10_000)])
                request.mutations.append("raw query \(request.rawQuery!.prefix(20))")
            default:
                query = query.map { $0.0 == "connection" ? ("connections", .string("[\"\(Self.owner):4\", \"\(Self.owner):2\", 3]")) : $0 }
                request.query = query
                request.mutations.append("connections as a JSON list")
            }
        case "string":
            let key = request.stringKeys.isEmpty ? "type" : pick(request.stringKeys)
            let value = pick(Self.strangeStrings)
            request.set(key, .string(value))
            request.mutations.append("\(key)=\(value.unicodeScalars.count > 40 ? "\(value.prefix(12))...(\(value.unicodeScalars.count) chars)" : value)")
        default:
            let method = pick(["DELETE", "PUT", "HEAD", "OPTIONS", "PATCH", request.method == "GET" ? "POST" : "GET"])
            request.method = method
            request.mutations.append("method \(method)")
        }
    }

    private static func escapePath(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? text
    }
}

extension Array where Element == (String, FuzzValue) {
    func randomElementFrom(_ corpus: inout FuzzCorpus) -> Element? {
        isEmpty ? nil : self[corpus.number(below: count)]
    }
}

extension FuzzRequest {
    /// The message's keys: of the query for a GET, else of the JSON body.
    var keys: [String] {
        if let query { return query.map(\.0) }
        return body?.fields?.map(\.0) ?? []
    }

    var stringKeys: [String] {
        if let query { return query.map(\.0) }
        return body?.fields?.compactMap { if case .string = $0.1 { $0.0 } else { nil } } ?? []
    }

    func has(_ key: String) -> Bool { keys.contains(key) }

    /// Sets (nil: removes) a field of the message, wherever it lives.
    mutating func set(_ key: String, _ value: FuzzValue?) {
        if var query {
            query.removeAll { $0.0 == key }
            if let value { query.append((key, value)) }
            self.query = query
        } else if body?.fields != nil {
            body?[key] = value
        } else if body == nil, let value {
            body = .object([(key, value)])
        }
    }

    mutating func setTargets(_ value: FuzzValue) { set("targets", value) }
}
