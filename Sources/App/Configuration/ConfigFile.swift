import Foundation
import Site

/// The appliance's configuration file: TOML, with the settings' environment names as keys
/// (`SECRET_KEY = "..."`, `FLEXMEASURES_PLANNING_HORIZON = "PT48H"`, `SECURITY_TOKEN_MAX_AGE = 21600`).
///
/// The subset a flat settings file needs: comments, `key = value` with basic or literal strings,
/// integers, floats, booleans, one-line arrays of strings (`CORS_ORIGINS = ["https://a.example"]`) and
/// one-line inline tables of strings (`FLEXMEASURES_HOSTS_AND_AUTH_START = { "site.example" = "2024-03" }`),
/// and `[table]` headers, whose keys count without the table's name. Arrays become the comma-separated
/// list and tables the `key=value,...` list an environment variable of the same name would hold.
/// Written here because the TOML package of the mirror depends on a package the mirror lacks.
///
/// Alert rules are arrays of tables: each `[[alert_rule]]` header starts a rule whose `key = value` lines
/// (strings, numbers, booleans; the fields of the API's rules) follow until the next header.
struct ConfigFile {
    /// Why a file cannot be used, with the line to fix.
    struct Invalid: Error, CustomStringConvertible {
        let path: String
        let line: Int
        let reason: String
        var description: String { "\(path) line \(line): \(reason)" }
    }

    let path: String
    let values: [String: String]
    /// The `[[alert_rule]]` tables, in the file's order, with the line each starts on.
    let alertRules: [(line: Int, fields: [String: JSONValue])]

    /// Where settings come from when `--config` and `FLEXMEASURES_CONFIG` say nothing: the system's
    /// file, then the user's; the first that exists.
    static let defaultPaths = ["/etc/flexmeasures/flexmeasures.toml", NSHomeDirectory() + "/.flexmeasures.toml"]

    init(path: String) throws {
        self.path = path
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Invalid(path: path, line: 0, reason: "cannot be read: \(error.localizedDescription)")
        }
        var values: [String: String] = [:]
        var rules: [(line: Int, fields: [String: JSONValue])] = []
        var inRule = false
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Self.strippingComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.replacingOccurrences(of: " ", with: "") == "[[alert_rule]]" {
                inRule = true
                rules.append((index + 1, [:]))
                continue
            }
            if inRule, !line.hasPrefix("[") {
                guard let equals = line.firstIndex(of: "=") else {
                    throw Invalid(path: path, line: index + 1, reason: "expected key = value in the alert rule")
                }
                let key = line[..<equals].trimmingCharacters(in: .whitespaces)
                guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw Invalid(path: path, line: index + 1, reason: "'\(key)' is not a field of an alert rule")
                }
                guard rules[rules.count - 1].fields[key] == nil else {
                    throw Invalid(path: path, line: index + 1, reason: "\(key) is given twice in this alert rule")
                }
                do {
                    rules[rules.count - 1].fields[key] = try Self.ruleValue(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
                } catch let reason as Reason {
                    throw Invalid(path: path, line: index + 1, reason: "\(key): \(reason.text)")
                }
                continue
            }
            inRule = false
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw Invalid(path: path, line: index + 1, reason: "a table header is written [name]")
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw Invalid(path: path, line: index + 1, reason: "expected KEY = value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw Invalid(path: path, line: index + 1, reason: "'\(key)' is not a bare key (letters, digits, _ and -)")
            }
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            do {
                values[key] = try Self.scalar(value)
            } catch let reason as Reason {
                throw Invalid(path: path, line: index + 1, reason: "\(key): \(reason.text)")
            }
        }
        self.values = values
        alertRules = rules
    }

    /// A value of an alert rule's field: a string, a number, a boolean.
    private static func ruleValue(_ text: String) throws -> JSONValue {
        if text.hasPrefix("\"") || text.hasPrefix("'") { return .string(try string(text)) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        let number = text.replacingOccurrences(of: "_", with: "")
        if let value = Double(number), value.isFinite, !number.isEmpty { return .number(value) }
        throw Reason("'\(text)' is not a string, number or boolean")
    }

    /// A value as the environment would hold it.
    private static func scalar(_ text: String) throws -> String {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw Reason("an array is written on one line: [\"a\", \"b\"]") }
            return try items(String(text.dropFirst().dropLast())).map { item in
                let value = try string(item)
                guard !value.contains(",") else { throw Reason("an array item may not contain a comma") }
                return value
            }.joined(separator: ",")
        }
        if text.hasPrefix("{") {
            guard text.hasSuffix("}") else { throw Reason("an inline table is written on one line: { \"key\" = \"value\" }") }
            return try items(String(text.dropFirst().dropLast())).map { item in
                guard let equals = item.firstIndex(of: "=") else { throw Reason("expected \"key\" = \"value\" in the table") }
                let keyText = item[..<equals].trimmingCharacters(in: .whitespaces)
                let key = keyText.hasPrefix("\"") || keyText.hasPrefix("'") ? try string(keyText) : keyText
                let value = try string(item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces))
                guard !key.isEmpty, !(key + value).contains(","), !key.contains("=") else {
                    throw Reason("table keys and values may not be empty or contain ',' or '='")
                }
                return "\(key)=\(value)"
            }.joined(separator: ",")
        }
        return try string(text, orBareValue: true)
    }

    /// The comma-separated items of an array or inline table, commas inside strings kept.
    private static func items(_ body: String) throws -> [String] {
        var items: [String] = []
        var current = ""
        var quote: Character?
        for character in body {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "," {
                items.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            } else if character == "[" || character == "{" {
                throw Reason("nested arrays and tables are not settings here")
            }
            current.append(character)
        }
        if quote != nil { throw Reason("unterminated string") }
        let last = current.trimmingCharacters(in: .whitespaces)
        // A trailing comma is allowed, an empty item elsewhere is not.
        if !last.isEmpty { items.append(last) }
        guard !items.contains(where: \.isEmpty) else { throw Reason("an empty item between commas") }
        return items
    }

    /// A basic or literal string; numbers and booleans too where a bare value may stand.
    private static func string(_ text: String, orBareValue: Bool = false) throws -> String {
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\"") else { throw Reason("unterminated string") }
            var result = ""
            var escaping = false
            for character in text.dropFirst().dropLast() {
                if escaping {
                    switch character {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    case "\"": result.append("\"")
                    case "\\": result.append("\\")
                    default: throw Reason("unsupported escape \\\(character)")
                    }
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else if character == "\"" {
                    throw Reason("a quote inside a string must be escaped")
                } else {
                    result.append(character)
                }
            }
            // The closing quote was escaped: the string never ends.
            if escaping { throw Reason("unterminated string") }
            return result
        }
        if text.hasPrefix("'") {
            guard text.count >= 2, text.hasSuffix("'") else { throw Reason("unterminated string") }
            return String(text.dropFirst().dropLast())
        }
        guard orBareValue else { throw Reason("'\(text)' is not a quoted string") }
        if text == "true" || text == "false" { return text }
        let number = text.replacingOccurrences(of: "_", with: "")
        if Int64(number) != nil || (Double(number) != nil && !number.isEmpty) { return number }
        throw Reason("'\(text)' is not a string, number, boolean, array of strings or inline table of strings")
    }

    /// The line without a `#` comment outside of strings.
    private static func strippingComment(_ line: String) -> String {
        var inBasic = false
        var inLiteral = false
        var previous: Character = " "
        for (offset, character) in line.enumerated() {
            if character == "\"" && !inLiteral && previous != "\\" { inBasic.toggle() }
            if character == "'" && !inBasic { inLiteral.toggle() }
            if character == "#" && !inBasic && !inLiteral { return String(line.prefix(offset)) }
            previous = character
        }
        return line
    }
}

/// What is wrong with one value; the file's error adds the path and line.
private struct Reason: Error {
    let text: String
    init(_ text: String) { self.text = text }
}
