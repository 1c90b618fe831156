import Foundation

/// The Box-Cox power transform made safe for series with zeros and small negative values (PV
/// at night, idle chargers): the values are shifted before the power or log is taken, so zero
/// maps to a finite number and the transform can be undone exactly.
///
/// `forward(x) = ((x + shift)^lambda - 1) / lambda`, or `log(x + shift)` when `lambda` is 0.
public struct ZeroAwareBoxCox: Sendable, Equatable, Hashable {
    /// The power; 1 is a plain shift, 0 the logarithm.
    public let lambda: Double
    /// Added to every value so that the smallest value of the fitted data maps to a finite number.
    public let shift: Double

    /// A transform with the given power and shift (`shift` must be positive).
    public init(lambda: Double, shift: Double) {
        precondition(shift > 0, "the shift must keep x + shift positive")
        self.lambda = lambda
        self.shift = shift
    }

    /// A transform with power `lambda` whose shift suits `values`: it lifts the smallest value
    /// to a small positive margin, a thousandth of the largest magnitude, so zeros stay finite.
    public init(lambda: Double, fittedTo values: [Double]) {
        var minimum = Double.infinity
        var magnitude = 0.0
        for value in values where value.isFinite {
            minimum = Swift.min(minimum, value)
            magnitude = Swift.max(magnitude, abs(value))
        }
        let margin = magnitude > 0 ? magnitude * 1e-3 : 1
        let lift = minimum.isFinite ? Swift.max(0, -minimum) : 0
        self.init(lambda: lambda, shift: lift + margin)
    }

    /// The transformed value; `.nan` stays `.nan`. Values at or below `-shift`, which the fitted
    /// data never reached, are treated as the smallest representable positive offset.
    public func forward(_ x: Double) -> Double {
        guard x.isFinite else { return .nan }
        let base = Swift.max(x + shift, shift * 1e-9)
        return lambda == 0 ? Foundation.log(base) : (Foundation.pow(base, lambda) - 1) / lambda
    }

    /// Undoes `forward`. Transformed values below the range the power can reach map to `-shift`.
    public func inverse(_ y: Double) -> Double {
        guard y.isFinite else { return .nan }
        if lambda == 0 { return Foundation.exp(y) - shift }
        let base = lambda * y + 1
        guard base > 0 else { return -shift }
        return Foundation.pow(base, 1 / lambda) - shift
    }
}
