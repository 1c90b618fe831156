import Beliefs
import Foundation
import Jobs
import Registry
import Site
import Testing

@Suite struct AdminPageTests {
    @Test func onlyAdminsListAndManageUsers() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        #expect(try await prosumer.get("/users").status == 403)
        let other = try #require(try console.site.registry.user(email: "other@example.com"))
        #expect(try await prosumer.get("/users/\(other.id)").status == 403)
        #expect(try await prosumer.post("/users/\(other.id)/deactivate", form: [:]).status == 403)
        #expect(try await prosumer.post("/users/\(other.id)/delete", form: [:]).status == 403)
        #expect(try console.site.registry.user(id: other.id)?.active == true)
        // Their own page they may see.
        let me = try #require(try console.site.registry.user(email: "prosumer@example.com"))
        #expect(try await prosumer.get("/users/\(me.id)").status == 200)
        // The navigation has no Users link for them.
        #expect(!(try await prosumer.get("/dashboard").text.contains("href=\"/users\"")))

        let admin = try await console.signedIn("admin")
        let list = try await admin.get("/users")
        #expect(list.status == 200)
        #expect(list.text.contains("other@example.com"))
        let otherVisitor = try await console.signedIn("other")
        #expect(try await admin.post("/users/\(other.id)/deactivate", form: [:]).status == 303)
        #expect(try console.site.registry.user(id: other.id)?.active == false)
        // Deactivation ended their session.
        #expect(try await otherVisitor.get("/dashboard").status == 303)
        #expect(try await admin.post("/users/\(other.id)/activate", form: [:]).status == 303)
        #expect(try console.site.registry.user(id: other.id)?.active == true)
        let hash = try #require(try console.site.registry.user(id: other.id)).passwordHash
        #expect(try await admin.post("/users/\(other.id)/reset-password", form: [:]).status == 303)
        #expect(try console.site.registry.user(id: other.id)?.passwordHash != hash)
        let theirs = try console.id(ofAsset: "theirs")
        #expect(try await admin.post("/users/\(other.id)/delete", form: [:]).location == "/users")
        #expect(try console.site.registry.user(id: other.id) == nil)
        #expect(try console.site.registry.asset(id: theirs) == nil)
        let adminUser = try #require(try console.site.registry.user(email: "admin@example.com"))
        #expect(try await admin.post("/users/\(adminUser.id)/delete", form: [:]).status == 403)
    }

    @Test func theAccountPageChangesTimezoneAndPassword() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        #expect(try await prosumer.get("/account").status == 200)
        let bad = try await prosumer.post("/account/timezone", form: ["timezone": "Mars/Olympus"])
        #expect(bad.status == 422)
        #expect(bad.text.contains("id=\"timezone-error\""))
        #expect(try await prosumer.post("/account/timezone", form: ["timezone": "Europe/Amsterdam"]).status == 200)
        #expect(try console.site.registry.user(email: "prosumer@example.com")?.timezone == "Europe/Amsterdam")

        let wrongCurrent = try await prosumer.post("/account/password", form: ["current": "nope", "password": "new-password-1", "repeat": "new-password-1"])
        #expect(wrongCurrent.status == 422)
        let differing = try await prosumer.post("/account/password", form: ["current": "password-prosumer", "password": "new-password-1", "repeat": "new-password-2"])
        #expect(differing.status == 422)
        let short = try await prosumer.post("/account/password", form: ["current": "password-prosumer", "password": "short", "repeat": "short"])
        #expect(short.status == 422)
        #expect(short.text.contains("id=\"password-error\""))
        let changed = try await prosumer.post("/account/password", form: ["current": "password-prosumer", "password": "new-password-1", "repeat": "new-password-1"])
        #expect(changed.status == 303)
        #expect(try await prosumer.get("/dashboard").status == 303)
        #expect(try await console.visitor().login(email: "prosumer@example.com", password: "new-password-1").status == 303)
    }

    @Test func tasksShowTheQueuesAndRetryAFailedJob() async throws {
        let console = try InProcessConsole()
        let jobs = console.site.jobs
        let id = try await jobs.enqueue(queue: .forecasting, kind: "test-kind", payload: "{}", timeToLive: .days(1))
        let claimed = try #require(try await jobs.claim(queue: .forecasting, worker: "w", lease: .minutes(1)))
        #expect(claimed.id == id)
        _ = try await jobs.fail(id: id, worker: "w", error: "the <model> broke", final: true)

        let prosumer = try await console.signedIn("prosumer")
        #expect(try await prosumer.get("/tasks").status == 403)
        #expect(try await prosumer.post("/tasks/\(id)/retry", form: [:]).status == 403)
        #expect(try await jobs.job(id: id)?.status == .failed)

        let admin = try await console.signedIn("admin")
        let page = try await admin.get("/tasks?queue=forecasting&status=failed")
        #expect(page.status == 200)
        #expect(page.text.contains("data-job=\"\(id)\""))
        #expect(page.text.contains("the &lt;model&gt; broke"))
        #expect(try await admin.post("/tasks/\(id)/retry", form: [:]).status == 303)
        let retried = try #require(try await jobs.job(id: id))
        #expect(retried.status == .queued)
        #expect(retried.error == nil)
        #expect(retried.attempts == 0)
        // A job that is not failed is not retried.
        #expect(try await admin.post("/tasks/\(id)/retry", form: [:]).status == 422)
        #expect(try await admin.post("/tasks/abc/retry", form: [:]).status == 404)
    }

    @Test func alertsAreListedAcknowledgedAndSilencedByWhoMaySeeThem() async throws {
        let console = try InProcessConsole()
        let battery = try #require(try console.site.registry.asset(named: "battery"))
        let theirs = try #require(try console.site.registry.asset(named: "theirs"))
        for asset in [battery, theirs] {
            _ = try await console.site.addAlertRule(.object([
                "name": .string("hot \(asset.fields.name)"), "kind": "threshold_above", "sensor_id": .number(Double(asset.id)), "value": 1,
            ]), by: nil)
        }
        let owner = try #require(try console.site.registry.user(email: "prosumer@example.com"))
        let otherOwner = try #require(try console.site.registry.user(email: "other@example.com"))
        let start = Instant.now().floored(to: .minutes(15)) - .hours(1)
        for (asset, user) in [(battery, owner), (theirs, otherOwner)] {
            let beliefs = (0..<2).map { slot in
                Belief(sensorID: asset.id, eventStart: start + .minutes(Int64(15 * slot)), beliefTime: start + .minutes(Int64(15 * slot + 15)), sourceID: 0, value: 2)
            }
            try await console.site.ingest(beliefs, from: .user(id: user.id, name: user.username))
        }
        let prosumer = try await console.signedIn("prosumer")
        let page = try await prosumer.get("/alerts")
        #expect(page.status == 200)
        #expect(page.text.contains("hot battery"))
        #expect(!page.text.contains("hot theirs"))
        let mine = try #require(try console.site.alerts(visibleTo: owner).first)
        let notMine = try #require(try console.site.alerts(visibleTo: otherOwner).first)
        let refused = try await prosumer.post("/alerts/\(notMine.id)/acknowledge", form: ["comment": "mine?"]).status
        #expect(refused == 404 || refused == 403)
        #expect(try console.site.alerts(visibleTo: otherOwner).first?.acknowledgement == nil)
        #expect(try await prosumer.post("/alerts/\(mine.id)/acknowledge", form: ["comment": "on it"]).status == 303)
        #expect(try console.site.alerts(visibleTo: owner).first?.acknowledgement?.comment == "on it")
        #expect(try await prosumer.post("/alerts/\(mine.id)/silence", form: ["hours": "0"]).status == 422)
        #expect(try await prosumer.post("/alerts/\(mine.id)/silence", form: ["hours": "2"]).status == 303)
        #expect(try console.site.alerts(visibleTo: owner).first?.silenced == true)
        #expect(try await prosumer.post("/alerts/\(mine.id)/silence", form: ["hours": "2"], addCSRF: false).status == 403)
    }

    @Test func alertsOfTheSiteNameWhatTheyWatchNotASensorOfTheSameNumber() async throws {
        let console = try InProcessConsole()
        _ = try await console.site.addAlertRule(.object(["name": "worker gone", "kind": "worker_dead", "queue": "forecasting"]), by: nil)
        let uplink = try await console.site.addAlertRule(.object(["name": "uplink stuck", "kind": "uplink_stuck", "duration": "PT1H"]), by: nil)
        _ = try await console.site.evaluateAlerts(workers: [.forecasting: false])
        // A stuck uplink needs an hour past the start; its alert is written as the timer would write it.
        let since = console.now.microsecondsSinceEpoch
        try await console.site.store.write { db in
            try db.execute(sql: """
                INSERT INTO alert (rule_id, subject_id, state, labels, value, active_since_us, fired_at_us, updated_at_us)
                VALUES (?, 0, 'firing', ?, 3700, ?, ?, ?)
                """, arguments: [uplink.id, #"{"alertname":"uplink stuck","kind":"uplink_stuck","severity":"warning"}"#, since, since, since])
        }
        let page = try await console.signedIn("admin").get("/alerts")
        #expect(page.status == 200)
        #expect(page.text.contains("<td>worker gone</td><td>warning</td><td>firing</td><td>forecasting</td>"), "\(page.text)")
        #expect(page.text.contains("<td>uplink stuck</td><td>warning</td><td>firing</td><td>uplink</td><td class=\"number\">3700.000</td>"), "\(page.text)")
    }
}
