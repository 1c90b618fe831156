import Beliefs

/// One condition of a silence on an alert's labels: `name=value` or `name!=value` (a missing label reads as
/// the empty string, as in Alertmanager).
public struct LabelMatcher: Sendable, Hashable {
    public var name: String
    public var value: String
    public var equal: Bool

    public init(name: String, value: String, equal: Bool = true) {
        self.name = name
        self.value = value
        self.equal = equal
    }

    /// Reads `name=value` or `name!=value`; nil when there is no name.
    public init?(parsing text: String) {
        if let index = text.firstIndex(of: "="), index > text.startIndex, text[text.index(before: index)] == "!" {
            self.init(name: String(text[..<text.index(before: index)]), value: String(text[text.index(after: index)...]), equal: false)
        } else if let index = text.firstIndex(of: "=") {
            self.init(name: String(text[..<index]), value: String(text[text.index(after: index)...]))
        } else {
            return nil
        }
        guard !name.isEmpty else { return nil }
    }

    public func matches(_ labels: [String: String]) -> Bool {
        (labels[name] ?? "" == value) == equal
    }

    public var text: String { name + (equal ? "=" : "!=") + value }
}

/// A silence: alerts whose labels match every matcher send no notices from `startsAt` until `endsAt`.
public struct Silence: Sendable, Hashable {
    public var matchers: [LabelMatcher]
    public var startsAt: Instant
    public var endsAt: Instant

    public init(matchers: [LabelMatcher], startsAt: Instant, endsAt: Instant) {
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    public func mutes(_ labels: [String: String], at instant: Instant) -> Bool {
        startsAt <= instant && instant < endsAt && !matchers.isEmpty && matchers.allSatisfy { $0.matches(labels) }
    }
}

/// The identity of an alert's label set: FNV-1a (64 bits) over the sorted `name=value` lines, in hex.
/// The same labels give the same fingerprint in every process and release.
public func alertFingerprint(_ labels: [String: String]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
        for byte in name.utf8 + [0x3D] + value.utf8 + [0x0A] {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
    }
    let hex = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}
