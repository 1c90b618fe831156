import GRDB

extension SchemaMigration {
    /// A migration that creates `tables` (with their indexes): its down step drops them, dependent tables first
    /// (the reverse of the order given), and loses their rows. Rows of the `seeded` tables are the migration's
    /// own (it writes them, no command changes them) and count as no loss.
    ///
    /// An emptied `AUTOINCREMENT` table still counts as a loss when its id counter has moved: dropping it
    /// resets the counter, and ids handed out before (job ids, for one) would be handed out again.
    public static func creatingTables(
        _ identifier: String,
        summary: String,
        tables: [String],
        seeded: Set<String> = [],
        apply: @escaping @Sendable (Database) throws -> Void
    ) -> SchemaMigration {
        SchemaMigration(
            identifier,
            summary: summary,
            apply: apply,
            revert: { db in
                for table in tables.reversed() {
                    try db.drop(table: table)
                }
            },
            losses: { db in
                var losses: [String] = []
                for table in tables where !seeded.contains(table) {
                    let rows = try Table(table).fetchCount(db)
                    if rows > 0 {
                        losses.append("\(rows) row\(rows == 1 ? "" : "s") in table \(table)")
                    } else if let counter = try idCounter(of: table, in: db), counter > 0 {
                        losses.append("the id counter of table \(table) (at \(counter); its ids would be handed out again)")
                    }
                }
                return losses
            }
        )
    }

    /// The last id an `AUTOINCREMENT` table handed out, nil for other tables.
    private static func idCounter(of table: String, in db: Database) throws -> Int64? {
        guard try db.tableExists("sqlite_sequence") else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table])
    }
}
