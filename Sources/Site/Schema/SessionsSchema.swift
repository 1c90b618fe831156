import GRDB
import SiteDatabase

/// The console's sign-in sessions (issue 13). A row per session: the SHA-256 of the cookie's token (the
/// token itself is never stored, so a copy of the file opens no session), its user, the user's token secret
/// when it began (a password reset or deactivation changes that secret and so ends every session), the
/// CSRF token of its forms, and when it began and ends. Sessions are not site data: backups leave them out.
public enum SessionsSchema {
    public static let migration = SchemaMigration.creatingTables(
        "0010_console_sessions",
        summary: "Console sign-in sessions: hashed token, user, CSRF token, expiry.",
        tables: ["console_session"]
    ) { db in
        try db.execute(sql: """
            CREATE TABLE console_session (
                token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
                user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                token_secret TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                created_us INTEGER NOT NULL,
                expires_us INTEGER NOT NULL CHECK (expires_us > created_us),
                client TEXT NOT NULL DEFAULT ''
            ) WITHOUT ROWID;
            CREATE INDEX console_session_expiry ON console_session(expires_us);
            CREATE INDEX console_session_user ON console_session(user_id);
            """)
    }
}
