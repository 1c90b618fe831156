@testable import BeliefStore
import Foundation
import Testing
import TestSupport

@Suite struct DoubleColumnCodecTests {
    static let encodingCases: [Column] = {
        var random = SeededGenerator(seed: 31)
        var cases: [Column] = []
        cases.append(Column(name: "empty", values: [], encoding: .raw))
        cases.append(Column(name: "one probability", values: Array(repeating: 0.5, count: 100), encoding: .constant))
        cases.append(Column(name: "all negative zero", values: Array(repeating: -0.0, count: 100), encoding: .constant))
        cases.append(Column(name: "meter readings", values: CodecFixtures.meterValues(count: 1000), encoding: .decimal))
        cases.append(Column(name: "quantiles", values: (0 ..< 300).map { [0.1, 0.5, 0.9][$0 % 3] }, encoding: .decimal))
        cases.append(Column(name: "random doubles", values: CodecFixtures.randomDoubles(count: 1000), encoding: .raw))
        cases.append(Column(name: "runs of a non-decimal", values: (0 ..< 1000).map { Double($0 / 100) / 3 }, encoding: .xor))
        cases.append(Column(name: "few distinct non-decimals", values: (0 ..< 1000).map { _ in
            [Double.pi, 1.0 / 3.0, 2.0.squareRoot(), 1e-7 / 3][Int.random(in: 0 ..< 4, using: &random)]
        }, encoding: .deflate))
        cases.append(Column(name: "a daily pattern of full-precision values", values: (0 ..< 1000).map { sin(Double($0 % 96)) * 7 }, encoding: .deflate))
        return cases
    }()

    static let digitCases: [Decimals] = (0 ... 4).map { digits in
        var random = SeededGenerator(seed: UInt64(digits) + 40)
        let scale = Double(CodecFixtures.powerOfTen(digits))
        return Decimals(digits: digits, values: (0 ..< 500).map { _ in
            // A last digit of 1 makes every value need all the digits.
            let tenths = (Double.random(in: -100 ... 100, using: &random) * scale / 10).rounded()
            return digits == 0 ? Double(Int.random(in: -10000 ... 10000, using: &random)) : (tenths * 10 + 1) / scale
        })
    }

    @Test(arguments: encodingCases)
    func columnsRoundTripInTheExpectedEncoding(_ column: Column) throws {
        #expect(CodecFixtures.doubleColumnTag(column.values) == column.encoding)
        let decoded = try SegmentCodec.decode(SegmentCodec.encode(CodecFixtures.measured(column.values)))
        #expect(decoded.values.map(\.bitPattern) == column.values.map(\.bitPattern))
    }

    @Test(arguments: digitCases)
    func theSampledExponentIsTheNumberOfDigits(_ column: Decimals) {
        let exponent = column.values.withUnsafeBufferPointer { DecimalValueCodec.sampledExponent($0) }
        #expect(exponent == column.digits)
        let encoding = column.values.withUnsafeBufferPointer { DecimalValueCodec.encoding($0, exponent: column.digits) }
        #expect(encoding.exceptionPositions.isEmpty)
    }

    @Test func aFewLongerDecimalsBecomeExceptionsRatherThanWidenEveryValue() {
        let values = (0 ..< 1000).map { index in index % 40 == 0 ? 1.2345 : Double(index % 300) / 100 }
        #expect(values.withUnsafeBufferPointer { DecimalValueCodec.sampledExponent($0) } == 2)
    }

    @Test func manyLongerDecimalsWidenTheExponent() {
        let values = (0 ..< 1000).map { index in index % 3 == 0 ? 1.234 : Double(index % 300) / 100 }
        #expect(values.withUnsafeBufferPointer { DecimalValueCodec.sampledExponent($0) } == 3)
    }

    @Test func valuesThatDoNotScaleBackExactlyAreExceptions() {
        #expect(DecimalValueCodec.scaledInteger(-0.0, scale: 1) == nil)
        #expect(DecimalValueCodec.scaledInteger(0.0, scale: 1) == 0)
        #expect(DecimalValueCodec.scaledInteger(.nan, scale: 100) == nil)
        #expect(DecimalValueCodec.scaledInteger(.infinity, scale: 1) == nil)
        #expect(DecimalValueCodec.scaledInteger(1e300, scale: 1) == nil, "beyond exact integers")
        #expect(DecimalValueCodec.scaledInteger(3e15, scale: 1) == nil, "beyond the rounding trick's 2^51")
        #expect(DecimalValueCodec.scaledInteger(0.1 + 0.2, scale: 1e10) == nil, "0.30000000000000004 has 17 digits")
        #expect(DecimalValueCodec.scaledInteger(-12.345, scale: 1000) == -12345)
        #expect(DecimalValueCodec.scaledInteger(2.5, scale: 1) == nil, "rounds to 2, which is not 2.5")
    }

    @Test func exceptionsBeyondTheColumnAreMalformed() throws {
        // decimal, exponent 0, constant 0, one exception at gap 3 of a 3-value column.
        var bytes: [UInt8] = [0x21, 0, 0x10, 0, 1, 3]
        bytes += [UInt8](repeating: 0, count: 8)
        let error = Self.error(decodingDoubleColumn: bytes, count: 3)
        #expect(error == .malformed("exception gap 3 exceeds 3") || error == .malformed("exception position 3 beyond 3 values"))
    }

    @Test func exponentsAbove10AreMalformed() {
        #expect(Self.error(decodingDoubleColumn: [0x21, 11, 0x10, 0, 0], count: 1) == .malformed("decimal exponent 11 above 10"))
    }

    @Test func damagedDeflateStreamsAreMalformed() {
        #expect(Self.error(decodingDoubleColumn: [0x24, 3, 0x78, 0x01, 0xFF], count: 16) == .malformed("deflate stream does not inflate to 16 values"))
    }

    @Test func xorWindowsMustBeSetBeforeUse() {
        // First value 0 (64 bits), then control bits 1 0: "reuse the window" with no window yet.
        let bytes: [UInt8] = [0x23] + [UInt8](repeating: 0, count: 8) + [0b01]
        #expect(Self.error(decodingDoubleColumn: bytes, count: 2) == .malformed("XOR window used before it is set"))
    }

    private static func error(decodingDoubleColumn bytes: [UInt8], count: Int) -> SegmentCodecError? {
        bytes.withUnsafeBytes { buffer -> SegmentCodecError? in
            var reader = ByteReader(buffer, end: buffer.count)
            do {
                _ = try [Double](unsafeUninitializedCapacity: count) { (output, initialized) throws(SegmentCodecError) in
                    try DoubleColumnCodec.decode(from: &reader, into: output)
                    initialized = count
                }
                return nil
            } catch {
                return error as? SegmentCodecError
            }
        }
    }
}

extension DoubleColumnCodecTests {
    /// A named double column and the encoding the encoder should pick for it.
    struct Column: Sendable, CustomTestStringConvertible {
        let name: String
        let values: [Double]
        let encoding: DoubleColumnCodec.Tag
        var testDescription: String { name }
    }

    /// Decimals with a known number of digits after the point.
    struct Decimals: Sendable, CustomTestStringConvertible {
        let digits: Int
        let values: [Double]
        var testDescription: String { "\(digits) digits" }
    }
}
