import Beliefs
import Testing

@Suite struct BeliefSourceTests {
    @Test(arguments: [
        (SourceType.user, "user"),
        (.scheduler, "scheduling script"),
        (.forecaster, "forecasting script"),
        (.script, "script"),
    ])
    func sourceTypesUseFlexMeasuresNames(type: SourceType, rawValue: String) {
        #expect(type.rawValue == rawValue)
        #expect(SourceType(rawValue: rawValue) == type)
    }

    @Test func thereAreExactlyFourSourceTypes() {
        #expect(SourceType.allCases == [.user, .scheduler, .forecaster, .script])
        #expect(SourceType(rawValue: "scheduler") == nil)
    }

    @Test func sourcesCompareByEveryField() {
        let user = BeliefSource(id: 3, name: "Prosumer", type: .user, userID: 7)
        #expect(user == BeliefSource(id: 3, name: "Prosumer", type: .user, userID: 7))
        #expect(user != BeliefSource(id: 3, name: "Prosumer", type: .user, userID: nil))
        #expect(user != BeliefSource(id: 3, name: "Prosumer", type: .script, userID: 7))
    }
}
