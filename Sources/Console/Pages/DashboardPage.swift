import Beliefs
import Hummingbird
import Registry
import Site

/// `GET /` and `GET /dashboard`: the site now, per asset a tile, and the map.
enum DashboardPage {
    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        router.get("/") { _, context in
            ConsoleRedirect(to: context.session == nil ? "/login" : "/dashboard").response
        }
        router.get("/dashboard") { request, context in
            let session = try context.requireSession(request)
            let overview = try await services.site.overview(for: session.user)
            let tiles: [[String: Any]] = overview.assets.map { status in
                var tile: [String: Any] = [
                    "id": status.asset.id, "name": status.asset.fields.displayName, "type": status.asset.fields.assetTypeName,
                    "stale": status.isStale,
                ]
                if let power = status.latestPower { tile["power"] = Formatting.number(power.value) }
                if let soc = status.stateOfCharge { tile["soc"] = Formatting.number(soc.value) }
                if let received = status.lastReceived {
                    tile["lastReceived"] = Formatting.iso(received)
                    tile["lastReceivedText"] = Formatting.readable(received)
                }
                if let next = status.nextAction {
                    let verb = next.value > 0 ? "consume" : "produce"
                    tile["next"] = "\(verb) \(Formatting.number(abs(next.value))) MW from \(Formatting.readable(next.start))"
                }
                return tile
            }
            let values: [String: Any] = [
                "consumption": Formatting.number(overview.consumption), "production": Formatting.number(overview.production),
                "assetCount": overview.assets.count, "staleCount": overview.staleCount, "hasStale": overview.staleCount > 0,
                "at": Formatting.iso(overview.at), "atText": Formatting.readable(overview.at),
                "hasAssets": !overview.assets.isEmpty, "assets": tiles, "isAdmin": session.user.isAdmin,
            ]
            return pages.page("dashboard", title: "Dashboard", section: .dashboard, session: session, values: values, charts: !overview.assets.isEmpty)
        }
    }
}
