import Beliefs
import Registry

extension Site {
    /// The energy statement of the assets `user` may see over [start, end): per slot the most recent
    /// measurement (belief horizon <= 0, not the scheduler's), in MW consumption positive, times the slot's
    /// hours; revenues and costs at the asset's market's price of that slot. Throws `ChartError` for a
    /// window longer than one request may cover.
    public func portfolio(for user: User, from start: Instant, to end: Instant) async throws -> PortfolioStatement {
        let assets = try self.assets(for: user)
        for asset in assets {
            do {
                try settings.checkWindow(from: start, to: end, resolution: asset.fields.eventResolution, what: "the window of asset \(asset.id)")
            } catch {
                throw ChartError(.window, error.description)
            }
        }
        return try await runBlocking { [self] in
            try statement(of: assets, from: start, to: end)
        }
    }

    private func statement(of assets: [Asset], from start: Instant, to end: Instant) throws -> PortfolioStatement {
        let schedulers = Set(try registry.dataSources().filter { $0.type == .scheduler }.map(\.id))
        var markets: [SensorID: (market: Market, prices: [Instant: Double])] = [:]
        var lines: [PortfolioStatement.Line] = []
        var daily: [String: [Instant: PortfolioStatement.DailyEnergy]] = [:]
        for asset in assets {
            let resolution = asset.fields.eventResolution
            let hours = Double(resolution.microseconds) / 3_600_000_000
            let measured = BeliefSelection.mostRecent(
                sortedByEventStart: try store.beliefs(sensorID: asset.id, from: start, to: end)
                    .filter { $0.horizon(eventResolution: resolution) <= .zero && !schedulers.contains($0.sourceID) },
                eventResolution: resolution, filter: .all
            )
            var prices: [Double?] = measured.map { _ in nil }
            if let marketID = asset.fields.marketID {
                if markets[marketID] == nil, let market = try registry.market(id: marketID) {
                    let known = try store.mostRecentBeliefs(sensorID: market.id, from: start - market.eventResolution, to: end)
                    markets[marketID] = (market, Dictionary(known.map { ($0.eventStart, $0.value) }, uniquingKeysWith: { first, _ in first }))
                }
                if let (market, known) = markets[marketID] {
                    prices = measured.map { Self.price(of: $0.eventStart, lasting: resolution, in: known, marketResolution: market.eventResolution) }
                }
            }
            var line = PortfolioStatement.Line(name: asset.fields.displayName, assetTypeName: asset.fields.assetTypeName, assetID: asset.id)
            for (belief, price) in zip(measured, prices) {
                let energy = belief.value * hours
                line.measuredSlots += 1
                let day = belief.eventStart.floored(to: .days(1))
                var entry = daily[asset.fields.assetTypeName, default: [:]][day]
                    ?? .init(day: day, assetTypeName: asset.fields.assetTypeName, productionMWh: 0, consumptionMWh: 0)
                if energy >= 0 {
                    line.consumptionMWh += energy
                    entry.consumptionMWh += energy
                } else {
                    line.productionMWh -= energy
                    entry.productionMWh -= energy
                }
                daily[asset.fields.assetTypeName, default: [:]][day] = entry
                guard let price else {
                    line.slotsWithoutPrice += 1
                    continue
                }
                if energy >= 0 { line.costs += price * energy } else { line.revenues += price * -energy }
            }
            lines.append(line)
        }
        var types: [String: PortfolioStatement.Line] = [:]
        var total = PortfolioStatement.Line(name: "Total", assetTypeName: nil, assetID: nil)
        for line in lines {
            let type = line.assetTypeName ?? ""
            types[type, default: .init(name: type, assetTypeName: type, assetID: nil)].add(line)
            total.add(line)
        }
        let usedMarkets = Set(assets.compactMap(\.fields.marketID))
        return PortfolioStatement(
            start: start, end: end, assets: lines, assetTypes: types.values.sorted { $0.name < $1.name }, total: total,
            daily: daily.values.flatMap(\.values).sorted { ($0.day, $0.assetTypeName) < ($1.day, $1.assetTypeName) },
            currencies: Set(markets.values.filter { usedMarkets.contains($0.market.id) }.map { Self.currency(of: $0.market.unit) }).sorted()
        )
    }

    /// The price of the slot [slotStart, slotStart + resolution): the market event holding it when the
    /// market's resolution is as coarse or coarser, else the mean of the market's events in it (nil when
    /// any is missing).
    static func price(of slotStart: Instant, lasting resolution: Timespan, in prices: [Instant: Double], marketResolution: Timespan) -> Double? {
        guard marketResolution > .zero else { return nil }
        if marketResolution >= resolution {
            return prices[slotStart.floored(to: marketResolution)]
        }
        var sum = 0.0, count = 0
        var time = slotStart
        while time < slotStart + resolution {
            guard let price = prices[time] else { return nil }
            sum += price
            count += 1
            time = time + marketResolution
        }
        return count > 0 ? sum / Double(count) : nil
    }

    /// "EUR" of "EUR/MWh"; the unit itself when it has no "/".
    static func currency(of unit: String) -> String {
        unit.split(separator: "/").first.map(String.init) ?? unit
    }
}
