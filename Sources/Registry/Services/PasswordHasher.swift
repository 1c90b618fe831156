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

    /// bcrypt reads at most this many bytes of a password; longer ones are refused rather than cut.
    public static let maximumBytes = 72

    /// False for a password with a NUL character: bcrypt stops reading at the first one, so
    /// "secret123\u{0}junk" would otherwise open the account whose password is "secret123".
    public static func verify(_ password: String, against hash: String) -> Bool {
        guard !password.utf8.contains(0) else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// What is wrong with a new password, or nil when it may be set.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.utf8.contains(0) { return "must not contain NUL characters" }
        if password.allSatisfy(\.isWhitespace) { return "must not be only spaces" }
        if password.utf8.count > maximumBytes { return "must be at most \(maximumBytes) bytes (bcrypt reads no more)" }
        return nil
    }
}
