import Testing
import Uplink

@Suite struct UplinkConfigurationTests {
    @Test func aURLNamesServerUserDatabaseAndTLS() throws {
        let plain = try UplinkConfiguration(url: "postgres://fleet@db.example:6543/central", password: "p", siteName: "hub-7")
        #expect(plain.host == "db.example" && plain.port == 6543 && plain.username == "fleet" && plain.database == "central")
        #expect(plain.tls == .prefer, "libpq's default")
        #expect(plain.server == "postgres://fleet@db.example:6543/central")
        let verified = try UplinkConfiguration(
            url: "postgresql://u@10.0.0.2/d?sslmode=verify-full&sslrootcert=/etc/ssl/fleet.pem", password: nil, siteName: "a.b_c-d"
        )
        #expect(verified.port == 5432 && verified.tls == .verifyFull && verified.rootCertificateFile == "/etc/ssl/fleet.pem")
    }

    @Test(arguments: [
        "mysql://u@h/d", "postgres://h/d", "postgres://u@/d", "postgres://u@h", "postgres://u@h/", "postgres://u@h/d/e",
        "postgres://u@h/d?sslmode=sometimes", "postgres://u@h/d?application_name=x", "not a url", "",
    ])
    func unusableURLsAreRefused(_ url: String) {
        #expect(throws: UplinkConfigurationError.self) { try UplinkConfiguration(url: url, password: nil, siteName: "s") }
    }

    @Test func aPasswordInTheURLIsRefusedAndNotRepeated() {
        do {
            _ = try UplinkConfiguration(url: "postgres://u:hunter2@h/d", password: nil, siteName: "s")
            Issue.record("a password in the URL was taken")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("FLEXMEASURES_UPLINK_PASSWORD"))
        }
    }

    @Test(arguments: ["", "a/b", "site a", "é", String(repeating: "x", count: 65), "a'b", "a;b"])
    func siteNamesOutsideTheAllowedCharactersAreRefused(_ name: String) {
        #expect(throws: UplinkConfigurationError.invalidSiteName(name)) {
            try UplinkConfiguration(url: "postgres://u@h/d", password: nil, siteName: name)
        }
    }

    @Test func noPasswordShowsWhenTheConfigurationIsPrintedDumpedOrRedacted() throws {
        let configuration = try UplinkConfiguration(url: "postgres://fleet@[::1]:6543/fleet", password: "s3cret-pw", siteName: "hub")
        #expect(configuration.host == "::1")
        for text in [String(describing: configuration), String(reflecting: configuration), "\(Mirror(reflecting: configuration).children.map { "\($0)" })"] {
            #expect(!text.contains("s3cret-pw"), "\(text)")
        }
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("s3cret-pw"))
        #expect(UplinkConfiguration.redacted("postgres://u:s3cret@h/d?password=s3cret&sslmode=disable").contains("s3cret") == false)
        #expect(throws: UplinkConfigurationError.self) { try UplinkConfiguration(url: "postgres://u@h/d?password=s3cret", password: nil, siteName: "s") }
        do {
            _ = try UplinkConfiguration(url: "postgres://u@h/d?password=s3cret&x=1", password: nil, siteName: "s")
        } catch {
            #expect(!error.description.contains("s3cret"))
        }
        for url in ["postgres://u@h:0/d", "postgres://u@h/d?sslmode=disable&sslmode=require"] {
            #expect(throws: UplinkConfigurationError.self) { try UplinkConfiguration(url: url, password: nil, siteName: "s") }
        }
    }
}
