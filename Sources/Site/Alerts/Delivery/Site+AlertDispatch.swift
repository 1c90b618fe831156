import Beliefs
import GRDB
import Jobs

extension Site {
    /// Hands the outbox's new notices to delivery: per channel that is on, one `DeliveryJob` per group of
    /// notices with the same `alertname` (resolved notices only to channels that send them), queued on the
    /// `delivery` queue in the same transaction that marks the notices handed over (`dispatched_at_us`). A
    /// crash before the commit leaves them to the next pass, one after it leaves them to the jobs: nothing is
    /// lost, nothing sent twice. Without channels nothing is handed over (the notices wait in the outbox).
    /// Returns the jobs queued.
    @discardableResult
    public func dispatchAlertNotices(limit: Int = 1000) async throws -> [JobID] {
        guard let delivery = alertDelivery, !delivery.channels.isEmpty else { return [] }
        let jobs = self.jobs
        let timeToLive = settings.planningTTL
        let now = clock().microsecondsSinceEpoch
        return try await store.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, status, labels FROM alert_notification WHERE dispatched_at_us IS NULL ORDER BY id LIMIT ?",
                arguments: [max(1, limit)]
            )
            guard !rows.isEmpty else { return [] }
            var queued: [JobID] = []
            // Each notice's alert name and status, read once for every channel.
            let notices = rows.map { row in
                (id: row["id"] as Int64, name: AlertStore.parseLabels(row["labels"])["alertname"] ?? "",
                 resolved: (row["status"] as String) == AlertNotice.Status.resolved.rawValue)
            }
            for channel in delivery.channels {
                var groups: [String: [Int64]] = [:]
                var order: [String] = []
                for notice in notices {
                    if notice.resolved && !delivery.sendsResolved(channel) { continue }
                    let name = notice.name
                    if groups[name] == nil { order.append(name) }
                    groups[name, default: []].append(notice.id)
                }
                for name in order {
                    let payload = try JobCoding.encode(DeliveryJob.Payload(channel: channel, notificationIDs: groups[name]!))
                    queued.append(try jobs.enqueue(
                        queue: .delivery, kind: DeliveryJob.kind, payload: payload, timeToLive: timeToLive,
                        retry: delivery.retry, in: db
                    ))
                }
            }
            let ids = notices.map(\.id)
            try db.execute(
                sql: "UPDATE alert_notification SET dispatched_at_us = ? WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
                arguments: StatementArguments([now] + ids)
            )
            return queued
        }
    }

    /// The outbox entries with these ids, in id order (those still there).
    public func outboxEntries(ids: [Int64]) throws -> [AlertOutboxEntry] {
        guard !ids.isEmpty else { return [] }
        return try outbox(where: "id IN (\(ids.map(String.init).joined(separator: ",")))", limit: ids.count)
    }
}
