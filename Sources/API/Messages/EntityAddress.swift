/// An entity address (USEF EA1, reference 14.4.2): `ea1.<YYYY-MM>.<naming authority>:<locally unique>`.
/// The naming authority is not checked (API-NOTES); the locally unique part names what the message is
/// about: an asset (`<owner id>:<asset id>` or `<asset id>`), a market (`<market name>`), a weather
/// sensor (`<type>:<latitude>:<longitude>`) or a UDI event (`<owner>:<asset>:<event id>:<event type>`).
public struct EntityAddress: Hashable, Sendable {
    /// The components after the naming authority, split at colons.
    public let localParts: [String]

    /// Why an address cannot be read; the API answers INVALID_DOMAIN.
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "'\(text)' is not an entity address: \(reason)" }
    }

    /// Reads `text`. `minimumLocalParts` is how many components the caller's kind needs after the
    /// naming authority; an authority may itself hold a port (`localhost:5000`), so the local parts are
    /// taken from the end.
    public init(parsing text: String, localParts count: ClosedRange<Int>) throws(Invalid) {
        guard text.hasPrefix("ea1.") else {
            throw Invalid(text: text, reason: "expected ea1.<YYYY-MM>.<naming authority>:<identifier>, e.g. ea1.2021-02.io.flexmeasures.company:30:73")
        }
        let rest = text.dropFirst(4)
        let dateCode = rest.prefix(7)
        guard dateCode.count == 7, dateCode.dropFirst(4).first == "-",
              dateCode.prefix(4).allSatisfy(\.isNumber), dateCode.suffix(2).allSatisfy(\.isNumber),
              rest.dropFirst(7).first == "." else {
            throw Invalid(text: text, reason: "the date code after 'ea1.' must be YYYY-MM followed by a dot")
        }
        let parts = rest.dropFirst(8).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[0].isEmpty else {
            throw Invalid(text: text, reason: "expected a naming authority and an identifier separated by ':'")
        }
        let available = parts.count - 1
        // Prefer the most local parts the kind allows that the address has after the authority.
        let taken = min(available, count.upperBound)
        guard taken >= count.lowerBound else {
            throw Invalid(text: text, reason: "expected at least \(count.lowerBound) identifier part(s) after the naming authority")
        }
        localParts = Array(parts.suffix(taken))
        guard localParts.allSatisfy({ !$0.isEmpty }) else {
            throw Invalid(text: text, reason: "an identifier part is empty")
        }
    }

    /// The reference's v1 simulation shorthand: `<owner id>:<asset id>` or `<asset id>`.
    public init?(simulationShorthand text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigitCharacter) }) else {
            return nil
        }
        localParts = parts
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// A connection in a message: an asset, by id and optionally its owner.
public struct AssetAddress: Hashable, Sendable {
    public let ownerID: Int64?
    public let assetID: Int64

    /// Reads an asset's entity address, or the simulation shorthand; INVALID_DOMAIN otherwise.
    public static func parse(_ text: String) throws -> AssetAddress {
        let address: EntityAddress
        if let shorthand = EntityAddress(simulationShorthand: text) {
            address = shorthand
        } else {
            do {
                address = try EntityAddress(parsing: text, localParts: 1...2)
            } catch {
                throw APIError.invalidDomain(error.description)
            }
        }
        let numbers = address.localParts.map { Int64($0) }
        // `...:<owner>:<asset>` with a non-numeric owner means the authority took the owner's place.
        guard let assetID = numbers.last.flatMap({ $0 }) else {
            throw APIError.invalidDomain("'\(text)' does not end in a numeric asset id")
        }
        let ownerID = numbers.count == 2 ? numbers[0] : nil
        return AssetAddress(ownerID: ownerID, assetID: assetID)
    }
}
