import Testing
import Forecasting

/// The transform must be exactly undone, zeros and the small negatives of PV at night included.
struct ZeroAwareBoxCoxTests {
    static let lambdas: [Double] = [0, 0.25, 0.5, 1]
    static let values: [Double] = [-6.35, -1, 0, 0, 1e-9, 0.5, 3, 250, 5_426.4]

    @Test(arguments: lambdas)
    func roundTripRestoresEveryValue(_ lambda: Double) {
        let transform = ZeroAwareBoxCox(lambda: lambda, fittedTo: Self.values)
        for value in Self.values {
            let transformed = transform.forward(value)
            #expect(transformed.isFinite)
            #expect(abs(transform.inverse(transformed) - value) <= 1e-9 * max(1, abs(value)))
        }
    }

    @Test(arguments: lambdas)
    func zerosAndTheMinimumStayFiniteAndOrderIsKept(_ lambda: Double) {
        let transform = ZeroAwareBoxCox(lambda: lambda, fittedTo: Self.values)
        #expect(transform.shift > 6.35)
        let transformed = Self.values.sorted().map(transform.forward)
        #expect(transformed.allSatisfy { $0.isFinite })
        #expect(zip(transformed, transformed.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test
    func missingValuesStayMissing() {
        let transform = ZeroAwareBoxCox(lambda: 0.5, fittedTo: Self.values)
        #expect(transform.forward(.nan).isNaN)
        #expect(transform.inverse(.nan).isNaN)
    }

    @Test
    func valuesBelowTheFittedRangeDoNotBreakTheTransform() {
        let transform = ZeroAwareBoxCox(lambda: 0.5, fittedTo: [0, 10, 100])
        #expect(transform.forward(-1_000).isFinite)
        #expect(transform.inverse(-1_000) == -transform.shift)
    }

    @Test
    func aSeriesOfZerosGetsAUsableShift() {
        let transform = ZeroAwareBoxCox(lambda: 0.5, fittedTo: [0, 0, 0])
        #expect(transform.shift == 1)
        #expect(transform.inverse(transform.forward(0)) == 0)
    }
}
