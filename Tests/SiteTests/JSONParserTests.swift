@testable import Site
import Testing

@Suite struct JSONParserTests {
    @Test func parsesAMessage() throws {
        let value = try JSONParser.parse(#"{"type": "PostMeterDataRequest", "values": [306.66, 0, -1.5e3], "ok": true, "none": null, "s": "a\"b\u00e9\n"}"#)
        #expect(value["type"] == .string("PostMeterDataRequest"))
        #expect(value["values"] == .array([.number(306.66), .number(0), .number(-1500)]))
        #expect(value["ok"] == .bool(true))
        #expect(value["none"] == .null)
        #expect(value["s"] == .string("a\"bé\n"))
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    static let invalid: [String] = [
        "", "{", "{\"a\"}", "{\"a\": }", "[1,]", "[1 2]", "01", "1.", "-", "1e", "+1", "tru", "nul",
        "\"unterminated", "\"bad \\x escape\"", "\"\\ud800 unpaired\"", "{} trailing", "\"tab\there\"",
        "{'single': 1}", "NaN", "Infinity",
    ]

    @Test(arguments: invalid)
    func rejectsWhatIsNotJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsDeepNestingWithoutRecursingForever() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let allowed = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try JSONParser.parse(allowed) }
    }

    @Test func hugeNumbersParseAsInfinityForValidationToRefuse() throws {
        #expect(try JSONParser.parse("1e400") == .number(.infinity))
        #expect(try JSONParser.parse("-1e400") == .number(-.infinity))
    }

    @Test func writerRoundTrips() throws {
        let value = JSONValue.object(["b": .array([.number(1), .number(2.5), .null]), "a": .string("x/\"y\"")])
        let text = JSONWriter.string(value)
        #expect(text == #"{"a": "x/\"y\"", "b": [1, 2.5, null]}"#)
        #expect(try JSONParser.parse(text) == value)
    }
}

@Suite struct JSONNumberWritingTests {
    @Test(arguments: [0.1, 0.3, -0.25, 306.66, 52.37, 1e-7, 123456.789012, 0.30000000000000004, -1234.5, 1e20, 5e-324, 0.001, 99.999999])
    func numbersRoundTripExactly(value: Double) throws {
        let text = JSONWriter.string(.number(value))
        #expect(Double(text) == value, "\(text)")
        #expect(try JSONParser.parse(text) == .number(value))
    }

    @Test func decimalsAreWrittenShort() {
        #expect(JSONWriter.string(.array([.number(306.66), .number(-0.5), .number(2), .number(0.001)])) == "[306.66, -0.5, 2, 0.001]")
    }
}

@Suite struct JSONStringEscapeTests {
    @Test func manyEscapesDecodeToTheirCharacters() throws {
        let body = "\"" + String(repeating: #"\n\t\"\\\/\u00e9"#, count: 50_000) + "\""
        let expected = String(repeating: "\n\t\"\\/é", count: 50_000)
        #expect(try JSONParser.parse(body) == .string(expected))
    }

    @Test func plainTextAroundEscapesIsKept() throws {
        #expect(try JSONParser.parse(#""ab\ncd\u0041ef😀\ud83d\ude00""#) == .string("ab\ncdAef😀😀"))
    }

    @Test func controlCharactersAfterAnEscapeAreRefused() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse("\"a\\nb\u{01}\"") }
    }
}
