import BeliefStore
import Beliefs
import Foundation
import Registry
import Scheduling

/// The plans of one scheduling run: the asking device's alone, or, when the site has a grid connection,
/// every storage device behind it planned together (`isJoint`), all from one start at one resolution.
struct SitePlan: Sendable {
    /// A device planned, with the UDI event its state of charge and targets came from.
    struct Member: Sendable {
        let asset: Asset
        let event: UDIEvent
    }

    let start: Instant
    let resolution: Timespan
    /// The asking device first.
    let members: [Member]
    /// MW per slot, per asset id.
    let values: [SensorID: [Double]]
    let isJoint: Bool

    func plan(of assetID: SensorID) -> SchedulingJob.Plan {
        SchedulingJob.Plan(start: start, resolution: resolution, values: values[assetID] ?? [])
    }
}

/// Builds and solves a site's scheduling problem from the registry and the belief store.
///
/// Without a grid connection, the asking device is planned alone against its market's prices (the
/// reference's behaviour). With one, every battery and charge point with a UDI event is planned with it
/// (their latest events: state of charge and targets) so that their total power plus the inflexible
/// load stays within the import and export capacity in every slot. Rules of a joint plan:
/// - it starts at the asking event's slot; every other device's latest state of charge is taken to hold
///   at that start (a device whose event is older has followed its plan since: post a fresh event);
///   targets before the start are left out, as are those past the known prices;
/// - the devices must share the asking device's resolution and market (else the job fails naming them);
/// - the inflexible load is the connection's inflexible asset's most recent belief per slot (meter data
///   or forecasts, averaged when finer, repeated when coarser), 0 MW where nothing is known.
enum SitePlanner {
    typealias Failure = SchedulingJob.Failure


    /// The most targets a failed joint plan is searched through for the one that cannot be met.
    static let diagnosedTargets = 64

    static func plan(event: UDIEvent, asset: Asset, horizon: Timespan, site: Site) throws -> SitePlan {
        let resolution = asset.fields.eventResolution
        // The SOC was read at the event's datetime; plan from the start of the slot it falls in.
        let start = event.datetime.floored(to: resolution)
        let slotCount = Int(horizon.microseconds / resolution.microseconds)
        guard slotCount > 0, slotCount <= site.settings.maximumSlotsPerRequest else {
            throw Failure(reason: .invalid, description: "a plan over \(horizon.iso8601) has \(slotCount) slots of \(resolution.iso8601); plans have 1 to \(site.settings.maximumSlotsPerRequest) (FLEXMEASURES_PLANNING_HORIZON, FLEXMEASURES_MAX_SLOTS_PER_REQUEST)")
        }
        let prices = try self.prices(for: asset, start: start, resolution: resolution, slotCount: slotCount, site: site)
        let connection = AssetType.storageTypeNames.contains(asset.fields.assetTypeName) ? try site.registry.gridConnection() : nil
        var members = [SitePlan.Member(asset: asset, event: event)]
        if let connection {
            members += try otherMembers(of: asset, excluding: connection.inflexibleAssetID, site: site)
        }
        let devices = members.map { device(for: $0, start: start, resolution: resolution, slotCount: prices.count) }
        var problem = SchedulingProblem(slotHours: Double(resolution.microseconds) / 3.6e9, prices: prices, devices: devices)
        if let connection {
            let inflexible = try connection.inflexibleAssetID.map {
                try inflexiblePower(assetID: $0, start: start, resolution: resolution, slotCount: prices.count, site: site)
            } ?? []
            problem.siteConnection = SiteConnection(
                maxPower: connection.importCapacityInMW, minPower: -connection.exportCapacityInMW, inflexiblePower: inflexible
            )
        }
        let schedule: Schedule
        do {
            schedule = try Scheduler.schedule(problem)
        } catch {
            throw failure(error, problem: problem, members: members, start: start, resolution: resolution)
        }
        var values: [SensorID: [Double]] = [:]
        for (index, member) in members.enumerated() {
            values[member.asset.id] = schedule.power[index]
        }
        return SitePlan(start: start, resolution: resolution, members: members, values: values, isJoint: connection != nil)
    }

    /// The asset's market prices per slot from `start`, as far as they are known without a gap.
    static func prices(for asset: Asset, start: Instant, resolution: Timespan, slotCount: Int, site: Site) throws -> [Double] {
        guard let marketID = asset.fields.marketID, let market = try site.registry.market(id: marketID) else {
            throw Failure(reason: .unknownPrices, description: "prices unknown for the planning window: asset \(asset.id) has no market")
        }
        // Prices from the start of the market slot that holds the first asset slot: an hourly price covers
        // a 15-minute slot that starts at :15.
        let marketStart = start.floored(to: market.eventResolution)
        let end = start + resolution * Int64(slotCount)
        let known = try site.store.mostRecentBeliefs(sensorID: market.id, from: marketStart, to: end)
        let series = Timeseries.aligning(known, start: marketStart, end: end, resolution: market.eventResolution)
        var prices: [Double] = []
        for slot in 0..<slotCount {
            let slotStart = start + resolution * Int64(slot)
            let index = Int((slotStart - series.start).microseconds / market.eventResolution.microseconds)
            guard index >= 0, index < series.values.count, let price = series.values[index] else { break }
            prices.append(price)
        }
        guard !prices.isEmpty else {
            throw Failure(reason: .unknownPrices, description: "prices unknown for the planning window from \(start.iso8601) (market \(market.name))")
        }
        return prices
    }

    /// Every other storage device with a UDI event; all must share the asking device's resolution and market.
    static func otherMembers(of asset: Asset, excluding inflexibleID: SensorID?, site: Site) throws -> [SitePlan.Member] {
        var members: [SitePlan.Member] = []
        var mismatched: [String] = []
        for other in try site.registry.assets() where other.id != asset.id && other.id != inflexibleID {
            guard AssetType.storageTypeNames.contains(other.fields.assetTypeName), let eventID = other.fields.socUDIEventID,
                  let event = try site.registry.udiEvent(assetID: other.id, eventID: eventID) else { continue }
            if other.fields.eventResolution != asset.fields.eventResolution || other.fields.marketID != asset.fields.marketID {
                mismatched.append("\(label(other)) has \(other.fields.eventResolution.iso8601) and market \(other.fields.marketID.map(String.init) ?? "none")")
                continue
            }
            members.append(SitePlan.Member(asset: other, event: event))
        }
        guard mismatched.isEmpty else {
            throw Failure(reason: .invalid, description: "the devices behind the site connection must share one resolution and market to be planned together: \(label(asset)) has \(asset.fields.eventResolution.iso8601) and market \(asset.fields.marketID.map(String.init) ?? "none"), but \(mismatched.joined(separator: ", "))")
        }
        return members
    }

    /// The scheduler's device for a member: its latest SOC at the plan's start, its targets within the slots.
    static func device(for member: SitePlan.Member, start: Instant, resolution: Timespan, slotCount: Int) -> StorageDevice {
        let fields = member.asset.fields
        // Other chargeable types (charging_station) schedule as one-way charging stations.
        let kind = DeviceKind(rawValue: fields.assetTypeName) ?? .oneWayEVSE
        // A target at T is the SOC at the end of the slot that ends at T; targets before the start or past the
        // known prices cannot be planned for and are left out, as the reference does.
        let targets = member.event.targets.compactMap { target -> SOCTarget? in
            let slotsUntil = (target.datetime - start).microseconds
            guard slotsUntil > 0 else { return nil }
            let slot = Int((slotsUntil + resolution.microseconds - 1) / resolution.microseconds) - 1
            guard slot >= 0, slot < slotCount else { return nil }
            return SOCTarget(slot: slot, soc: target.socInMWh)
        }
        return StorageDevice(
            name: label(member.asset), kind: kind, socAtStart: member.event.socInMWh, minSOC: fields.minSOCInMWh ?? 0,
            maxSOC: fields.maxSOCInMWh, capacity: fields.capacityInMW, targets: targets,
            chargingEfficiency: fields.chargingEfficiency, dischargingEfficiency: fields.dischargingEfficiency
        )
    }

    /// The inflexible asset's power per slot, MW, consumption positive; 0 where nothing is known.
    static func inflexiblePower(assetID: SensorID, start: Instant, resolution: Timespan, slotCount: Int, site: Site) throws -> [Double] {
        guard let asset = try site.registry.asset(id: assetID) else { return [] }
        // The connection refuses such an asset; a file from before that check, or a load of a backup, may hold one.
        guard !AssetType.storageTypeNames.contains(asset.fields.assetTypeName) else {
            throw Failure(reason: .invalid, description: "the site connection's inflexible load is asset \(assetID), a \(asset.fields.assetTypeName) that the scheduler plans itself: set the connection's inflexible asset to the meter of the site's other load (`flexmeasures set site-connection --inflexible-asset`)")
        }
        let step = asset.fields.eventResolution
        let from = start.floored(to: step)
        let end = start + resolution * Int64(slotCount)
        let known = try site.store.mostRecentBeliefs(sensorID: assetID, from: from, to: end)
        let series = Timeseries.aligning(known, start: from, end: end, resolution: step)
        return (0..<slotCount).map { slot in
            let slotStart = start + resolution * Int64(slot)
            let first = Int((slotStart - from).microseconds / step.microseconds)
            // A coarser value covers the whole slot; finer ones are averaged over what is known of it.
            let count = max(1, Int(resolution.microseconds / step.microseconds))
            let values = (first..<(first + count)).compactMap { $0 >= 0 && $0 < series.values.count ? series.values[$0] : nil }
            return values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        }
    }

    static func label(_ asset: Asset) -> String { "'\(asset.fields.name)' (asset \(asset.id))" }

    // MARK: Failures

    /// The scheduler's refusal in the site's terms: devices by asset, slots with their times, and for a
    /// joint plan that only the connection makes infeasible, the first target (by time) that cannot be met.
    static func failure(_ error: SchedulingError, problem: SchedulingProblem, members: [SitePlan.Member], start: Instant, resolution: Timespan) -> Failure {
        var description = error.description
        if error.kind == .infeasible, problem.siteConnection != nil, error.field == nil,
           let culprit = unmetTarget(problem: problem, members: members, start: start, resolution: resolution) {
            description = "infeasible: \(culprit)"
        }
        description = described(description, members: members, start: start, resolution: resolution)
        return Failure(reason: error.kind == .infeasible ? .infeasible : .invalid, description: description)
    }

    /// Names devices by asset (`devices[2]` becomes the asset) and gives slots their times.
    static func described(_ text: String, members: [SitePlan.Member], start: Instant, resolution: Timespan) -> String {
        var text = text.replacing(/devices\[(\d+)\](\.)?/) { match in
            guard let index = Int(match.1), members.indices.contains(index) else { return String(match.0) }
            return "asset \(members[index].asset.id)" + (match.2 == nil ? "" : ", ")
        }
        text = text.replacing(/slot (\d+)/) { match in
            guard let slot = Int64(match.1) else { return String(match.0) }
            let from = start + resolution * slot
            return "slot \(slot) (\(from.iso8601) to \((from + resolution).iso8601))"
        }
        return text
    }

    /// Adds the targets one at a time, earliest first, to the problem without targets; the first that
    /// makes it infeasible is what the connection cannot carry. Nil when that search does not tell.
    static func unmetTarget(problem: SchedulingProblem, members: [SitePlan.Member], start: Instant, resolution: Timespan) -> String? {
        let targets = problem.devices.enumerated()
            .flatMap { device, entry in entry.targets.map { (device: device, target: $0) } }
            .sorted { ($0.target.slot, $0.device) < ($1.target.slot, $1.device) }
        guard targets.count <= diagnosedTargets, let connection = problem.siteConnection else { return nil }
        var relaxed = problem
        for index in relaxed.devices.indices { relaxed.devices[index].targets = [] }
        // Up to 64 + 20 solves only ask whether a plan exists: the LP's verdict decides, so no branch and
        // bound may take its full time limit in each of them.
        relaxed.mixedIntegerTimeLimit = .milliseconds(1)
        guard (try? Scheduler.schedule(relaxed)) != nil else { return unmeetableSlot(relaxed, connection: connection) }
        for (device, target) in targets {
            relaxed.devices[device].targets.append(target)
            if (try? Scheduler.schedule(relaxed)) != nil { continue }
            let end = start + resolution * Int64(target.slot + 1)
            // A target above the SOC at start needs power drawn (import); one below, power fed in (export).
            let charging = target.soc >= relaxed.devices[device].socAtStart
            let limit = charging
                ? connection.maxPower.map { "import capacity of \(number($0)) MW" }
                : connection.minPower.map { "export capacity of \(number(-$0)) MW" }
            let limits = limit ?? "limits"
            let others = relaxed.devices.enumerated().contains { $0.offset != device && !$0.element.targets.isEmpty }
            let load = connection.inflexiblePower.contains { $0 != 0 } ? " with the inflexible load" : ""
            return "the target of \(number(target.soc)) MWh of \(label(members[device].asset)) at \(end.iso8601) cannot be met: "
                + "the site connection's \(limits)\(load) does not leave enough power in the slots from \(start.iso8601) to \(end.iso8601)"
                + (others ? " besides the other devices' targets until then" : "")
        }
        return nil
    }

    /// The earliest slot by which the connection cannot carry the inflexible load even without any target:
    /// the devices cannot release (or take in) enough by then. Feasibility only shrinks as slots are added, so
    /// a binary search over the plan's prefixes finds it in a dozen solves. Nil when the whole plan is feasible.
    static func unmeetableSlot(_ relaxed: SchedulingProblem, connection: SiteConnection) -> String? {
        func feasible(through last: Int) -> Bool {
            var prefix = relaxed
            prefix.prices = Array(relaxed.prices.prefix(last + 1))
            prefix.siteConnection?.inflexiblePower = Array(connection.inflexiblePower.prefix(last + 1))
            return (try? Scheduler.schedule(prefix)) != nil
        }
        var (low, high) = (0, relaxed.slotCount - 1)
        guard high >= 0, !feasible(through: high) else { return nil }
        while low < high {
            let middle = (low + high) / 2
            if feasible(through: middle) { low = middle + 1 } else { high = middle }
        }
        let load = connection.inflexiblePower.indices.contains(low) ? connection.inflexiblePower[low] : 0
        let limit: String
        if let maximum = connection.maxPower, load > maximum {
            limit = "maximum of \(number(maximum)) MW is below the inflexible load of \(number(load)) MW, and the devices cannot release the difference"
        } else if let minimum = connection.minPower, load < minimum {
            limit = "minimum of \(number(minimum)) MW is above the inflexible load of \(number(load)) MW, and the devices cannot take in the difference"
        } else {
            limit = "limits with the inflexible load of \(number(load)) MW leave the devices no plan"
        }
        return "in slot \(low) the site connection's \(limit) with what they hold by then"
    }

    private static func number(_ value: Double) -> String { "\((value * 1e6).rounded() / 1e6)" }
}
