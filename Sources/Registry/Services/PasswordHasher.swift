import HummingbirdBcrypt

/// bcrypt hashing of passwords. Slow on purpose (~0.3 s at cost 12): callers hash before they open a
/// write transaction, so the single writer is never held while it runs.
public enum PasswordHasher {
    public static let minimumLength = 8
    public static let allowedCosts: ClosedRange<UInt8> = 4...31
    /// About 0.3 s per hash on small hardware.
    public static let defaultCost: UInt8 = 12

    public static func hash(_ password: String, cost: UInt8) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, against hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }
}
