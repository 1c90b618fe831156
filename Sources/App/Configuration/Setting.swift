import Beliefs
import Uplink

/// One setting the appliance reads, declared once: its name, its default (as a value, and as README's
/// configuration table and `config show` write it), what it means, and how its text is read. The typed
/// getters of `SiteSettings`, `config show`, the API's, the site's and the listeners' settings all come
/// from these declarations; a test holds README's table to them.
struct Setting<Value: Sendable>: Sendable {
    let name: String
    /// The value when the setting is not given (nil for the optional ones: a Unix socket, TLS files).
    let defaultValue: Value
    let defaultText: String
    let meaning: String
    var isSecret = false
    /// How `config show` writes the value: whole, masked, or with a password inside it masked.
    var masking: SettingMasking = .none
    /// Reads a non-empty text; throws with what was expected.
    let parse: @Sendable (String) throws(SettingError) -> Value

    var declaration: SettingDeclaration {
        SettingDeclaration(name: name, defaultText: defaultText, meaning: meaning, masking: isSecret ? .whole : masking)
    }

    /// The setting with a value of `parse`'s, refusing text it cannot read as `expected`.
    static func reading(
        _ name: String, default value: Value, written text: String, meaning: String, isSecret: Bool = false, expected: String,
        _ parse: @escaping @Sendable (String) -> Value?
    ) -> Setting {
        Setting(name: name, defaultValue: value, defaultText: text, meaning: meaning, isSecret: isSecret) { text throws(SettingError) in
            guard let parsed = parse(text) else { throw SettingError(name: name, value: text, expected: expected) }
            return parsed
        }
    }
}

/// A setting of any type, for the tables that list them all (`config show`, README).
struct SettingDeclaration: Sendable, Equatable {
    let name: String
    let defaultText: String
    let meaning: String
    let masking: SettingMasking

    var isSecret: Bool { masking == .whole }

    /// The value as `config show` writes it.
    func shown(_ value: String) -> String {
        switch masking {
        case .none: value
        case .whole: "********"
        case .passwordInURL: UplinkConfiguration.redacted(value)
        }
    }
}

/// What of a setting's value `config show` must not print.
enum SettingMasking: Sendable, Equatable {
    case none
    /// A secret: never shown.
    case whole
    /// A URL that may hold a password (`user:password@`, `?password=`): shown with it masked.
    case passwordInURL
}

extension Setting where Value == String {
    static func text(_ name: String, default value: String, written: String? = nil, meaning: String) -> Setting {
        .reading(name, default: value, written: written ?? value, meaning: meaning, expected: "text") { $0 }
    }
}

extension Setting where Value == String? {
    /// A text that is unset unless given.
    static func optionalText(
        _ name: String, written: String = "none", meaning: String, isSecret: Bool = false, masking: SettingMasking = .none
    ) -> Setting {
        var setting = Setting.reading(name, default: nil, written: written, meaning: meaning, isSecret: isSecret, expected: "text") { .some($0) }
        setting.masking = masking
        return setting
    }
}

extension Setting where Value == Int64 {
    /// A whole number from 1 to `maximum`.
    static func count(_ name: String, default value: Int64, atMost maximum: Int64, meaning: String) -> Setting {
        .reading(name, default: value, written: String(value), meaning: meaning, expected: "a whole number from 1 to \(maximum)") { text in
            Int64(text).flatMap { (1...maximum).contains($0) ? $0 : nil }
        }
    }
}

extension Setting where Value == Bool {
    static func flag(_ name: String, default value: Bool, meaning: String) -> Setting {
        .reading(name, default: value, written: String(value), meaning: meaning, expected: "true or false") { text in
            switch text.lowercased() {
            case "true", "1", "yes": true
            case "false", "0", "no": false
            default: nil
            }
        }
    }
}

extension Setting where Value == Timespan {
    /// A non-zero ISO 8601 duration.
    static func duration(_ name: String, default value: Timespan, written: String, meaning: String) -> Setting {
        .reading(name, default: value, written: written, meaning: meaning, expected: "an ISO 8601 duration such as PT48H or P7D") { text in
            (try? Timespan.parseISO8601(text)).flatMap { $0 != .zero ? $0 : nil }
        }
    }
}
