@testable import API
import Testing

@Suite struct EntityAddressTests {
    static let assets: [(String, Int64?, Int64)] = [
        ("ea1.2021-02.io.flexmeasures.company:30:73", 30, 73),
        ("ea1.2021-02.io.flexmeasures.company:73", nil, 73),
        ("ea1.2018-06.localhost:5000:7:106", 7, 106),
        ("ea1.2018-06.io.flexmeasures:1:2", 1, 2),
        ("7:10", 7, 10),
        ("10", nil, 10),
    ]

    @Test(arguments: assets)
    func assetAddressesAreRead(text: String, owner: Int64?, asset: Int64) throws {
        let address = try AssetAddress.parse(text)
        #expect(address.ownerID == owner)
        #expect(address.assetID == asset)
    }

    static let invalid = ["CS 1", "", "ea1.", "ea1.2021-02", "ea1.21-02.x:1", "ea2.2021-02.x:1", "ea1.2021-02.x", "ea1.2021-02.x:", "ea1.2021-02.x:abc", "1:2:3"]

    @Test(arguments: invalid)
    func otherTextIsAnInvalidDomain(text: String) {
        #expect {
            try AssetAddress.parse(text)
        } throws: { error in
            (error as? APIError)?.status == "INVALID_DOMAIN"
        }
    }

    @Test func weatherSensorAddressesKeepTheirThreeParts() throws {
        let address = try EntityAddress(parsing: "ea1.2018-06.localhost:5000:temperature:33.4843866:126.477859", localParts: 3...3)
        #expect(address.localParts == ["temperature", "33.4843866", "126.477859"])
    }
}
