import Testing
@testable import Scheduling

/// Malformed input never reaches GLPK (which would abort the process): it is refused, naming the field.
struct ValidationTests {
    /// One malformed problem and the field its error must name.
    struct Case: CustomTestStringConvertible, Sendable {
        let field: String
        let problem: SchedulingProblem
        var testDescription: String { field }
    }

    static let valid = Fixtures.problem(
        prices: [50, 60, 70], devices: [Fixtures.battery(targets: [SOCTarget(slot: 2, soc: 0.5)])]
    )

    static func changed(_ change: (inout SchedulingProblem) -> Void) -> SchedulingProblem {
        var problem = valid
        change(&problem)
        return problem
    }

    static let cases: [Case] = [
        Case(field: "prices[1]", problem: changed { $0.prices[1] = .nan }),
        Case(field: "prices[2]", problem: changed { $0.prices[2] = .infinity }),
        Case(field: "prices[0]", problem: changed { $0.prices[0] = 1e12 }),
        Case(field: "prices", problem: changed { $0.prices = [] }),
        Case(field: "slotHours", problem: changed { $0.slotHours = 0 }),
        Case(field: "slotHours", problem: changed { $0.slotHours = -0.25 }),
        Case(field: "slotHours", problem: changed { $0.slotHours = .nan }),
        Case(field: "devices", problem: changed { $0.devices = [] }),
        Case(field: "devices[0].capacity", problem: changed { $0.devices[0].capacity = -1 }),
        Case(field: "devices[0].capacity", problem: changed { $0.devices[0].capacity = .nan }),
        Case(field: "devices[0].socAtStart", problem: changed { $0.devices[0].socAtStart = .infinity }),
        Case(field: "devices[0].minSOC", problem: changed { $0.devices[0].minSOC = -.infinity }),
        Case(field: "devices[0].maxSOC", problem: changed { $0.devices[0].maxSOC = .nan }),
        Case(field: "devices[0].chargingEfficiency", problem: changed { $0.devices[0].chargingEfficiency = 0 }),
        Case(field: "devices[0].dischargingEfficiency", problem: changed { $0.devices[0].dischargingEfficiency = 1.2 }),
        Case(field: "devices[0].targets[0].slot", problem: changed { $0.devices[0].targets[0].slot = 3 }),
        Case(field: "devices[0].targets[0].slot", problem: changed { $0.devices[0].targets[0].slot = -1 }),
        Case(field: "devices[0].targets[0].soc", problem: changed { $0.devices[0].targets[0].soc = .nan }),
        Case(field: "siteConnection.maxPower", problem: changed { $0.siteConnection = SiteConnection(maxPower: .nan) }),
        Case(field: "siteConnection.minPower", problem: changed { $0.siteConnection = SiteConnection(minPower: -.infinity) }),
        Case(
            field: "siteConnection.inflexiblePower",
            problem: changed { $0.siteConnection = SiteConnection(maxPower: 1, inflexiblePower: [0.1, 0.2]) }
        ),
        Case(
            field: "siteConnection.inflexiblePower[1]",
            problem: changed { $0.siteConnection = SiteConnection(maxPower: 1, inflexiblePower: [0.1, .nan, 0.2]) }
        ),
        Case(field: "mixedIntegerTimeLimit", problem: changed { $0.mixedIntegerTimeLimit = .zero }),
        Case(field: "mixedIntegerTimeLimit", problem: changed { $0.mixedIntegerTimeLimit = .microseconds(999) }),
        Case(field: "mixedIntegerTimeLimit", problem: changed { $0.mixedIntegerTimeLimit = .seconds(3_000_000) }),
    ]

    @Test(arguments: cases)
    func malformedInputIsRefusedNamingTheField(_ testCase: Case) throws {
        let error = try #require(Fixtures.error(of: testCase.problem))
        #expect(error.kind == .invalidInput)
        #expect(error.field == testCase.field, "\(error)")
    }

    @Test func validProblemPassesValidation() throws {
        try Self.valid.validate()
        _ = try Scheduler.schedule(Self.valid)
    }

    @Test func errorDescriptionNamesKindFieldAndReason() throws {
        let error = try #require(Fixtures.error(of: Self.changed { $0.devices[0].capacity = -2 }))
        #expect(error.description == "invalid input (devices[0].capacity): is -2.0 MW; it must not be negative")
    }
}
