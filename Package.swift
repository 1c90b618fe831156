// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "flexmeasures",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flexmeasures", targets: ["flexmeasures"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Pure value types and the rules that decide every answer: no I/O.
        .target(name: "Beliefs"),
        // The one SQLite file: WAL, one writer and its lock across processes, the group-commit write queue
        // (a site transaction), the ordered migrations with their down steps.
        .target(name: "SiteDatabase", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // The belief store: sensors and sources, columnar compressed segments, tail, queries.
        .target(
            name: "BeliefStore",
            dependencies: ["Beliefs", "SiteDatabase", "CZlib", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Users, roles, assets, markets, weather sensors, data sources, and their validation.
        .target(
            name: "Registry",
            dependencies: [
                "Beliefs", "BeliefStore", "SiteDatabase",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // Device scheduling as a linear program on GLPK. Pure: a problem in, a schedule out.
        .target(name: "Scheduling", dependencies: ["CGLPK"]),
        // Regression forecasts (reference 7.1). Pure: arrays in, forecasts out; LAPACK solves the normal equations.
        .target(name: "Forecasting", dependencies: ["CLAPACK"]),
        // Alert rules, their evaluation against values and the alert state machine (for, hysteresis, repeat,
        // silences). Pure: values in, verdicts, states and notices out.
        .target(name: "Alerting", dependencies: ["Beliefs"]),
        // The durable job queue in the site database, and its workers.
        .target(
            name: "Jobs",
            dependencies: ["Beliefs", "SiteDatabase", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The application core between the domain modules and the front ends: the scheduling and forecasting
        // jobs, forecast accuracy, belief files, the site schema. What a user can do, whatever the front end.
        .target(
            name: "Site",
            dependencies: [
                "Beliefs", "SiteDatabase", "BeliefStore", "Registry", "Jobs", "Scheduling", "Forecasting", "Alerting", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The wire protocols of alert delivery: SMTP (STARTTLS, TLS on connect, AUTH) and webhook POSTs over
        // SwiftNIO, behind Site's AlertTransport, so that the application core holds no networking.
        .target(
            name: "Delivery",
            dependencies: [
                "Beliefs", "Site",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The fleet uplink: the site's belief journal forwarded to a central PostgreSQL in the timely-beliefs
        // layout (COPY in bulk, exactly once), and the central schema's migrations. The wire side of Site's journal.
        .target(
            name: "Uplink",
            dependencies: [
                "Beliefs", "BeliefStore", "Site",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // USEF-style messages and the handlers of each API version: decode, validate, call Site, encode.
        .target(
            name: "API",
            dependencies: [
                "Beliefs", "BeliefStore", "Registry", "Jobs", "Site",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The site console: the reference's web pages for the people who run the site (sessions, CSRF,
        // Mustache templates, Vega-Lite chart specs, static files embedded in the binary). Calls Site, like the API.
        .target(
            name: "Console",
            dependencies: [
                "Beliefs", "BeliefStore", "Registry", "Jobs", "Site", "Alerting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // The vendored and hand-written files themselves; the binary carries them through
            // Static/EmbeddedFiles.swift, which scripts/embed-static.py writes from this folder.
            exclude: ["Static/Files"]
        ),
        // Composition root: configuration, listeners, lifecycle, and the command-line interface.
        .target(
            name: "App",
            dependencies: [
                "Beliefs", "SiteDatabase", "BeliefStore", "Registry", "API", "Console", "Jobs", "Site", "Delivery", "Uplink",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "flexmeasures",
            dependencies: ["App"],
            // Release builds of the daemon on Linux are linked by lld with packed relative relocations (DT_RELR,
            // glibc 2.36+) and without exporting the program's own symbols: the dynamic loader then reads and
            // relocates megabytes less at start-up. With --static-swift-stdlib (the packaged build,
            // scripts/build-deb.sh and scripts/bench-api.sh) the idle daemon's resident memory falls from 35 to 30 MB.
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
                    .when(platforms: [.linux], configuration: .release)
                ),
            ]
        ),
        // Benchmarks: `swift run -c release flexmeasures-bench store`.
        .executableTarget(
            name: "flexmeasures-bench",
            dependencies: [
                "Beliefs", "SiteDatabase", "BeliefStore", "Registry", "API", "Site", "Scheduling", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A writer that the kill tests of BeliefStoreTests start and kill -9 in the middle of its work.
        .executableTarget(
            name: "belief-store-crash-writer",
            dependencies: ["Beliefs", "BeliefStore", "SiteDatabase"]
        ),

        // System libraries without a Swift wrapper (SQLite comes through GRDB).
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib"),
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK"),
        // The forecasting accuracy protocol on the shared data: `swift run -c release forecast-accuracy`.
        .executableTarget(name: "forecast-accuracy", dependencies: ["Forecasting", "CLAPACK", "TestSupport"]),

        // What the test targets and the benchmarks share: temporary database files, seeded randomness.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BeliefsTests", dependencies: ["Beliefs", "TestSupport"]),
        .testTarget(name: "BeliefStoreTests", dependencies: ["BeliefStore", "SiteDatabase", "Beliefs", "TestSupport"]),
        // A worker that the queue's tests start and kill -9 in the middle of a job.
        .executableTarget(
            name: "job-queue-crash-worker",
            dependencies: ["Jobs", "BeliefStore", "SiteDatabase"]
        ),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "Beliefs"]),
        .testTarget(name: "ForecastingTests", dependencies: ["Forecasting", "TestSupport"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "SiteDatabase", "BeliefStore", "Beliefs", "TestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "SiteDatabase", "BeliefStore", "Beliefs", "TestSupport"]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "Jobs", "Beliefs", "BeliefStore", "Registry", "SiteDatabase", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Site", "SiteDatabase", "Beliefs", "BeliefStore", "Registry", "Jobs", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "Site", "Jobs", "Beliefs", "BeliefStore", "Registry", "SiteDatabase", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // The loopback servers the tests start with python3, read from here by path, not built.
            exclude: ["smtp_server.py", "webhook_receiver.py"]
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "Site", "SiteDatabase", "Beliefs", "BeliefStore", "Registry", "Jobs", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "UplinkTests",
            dependencies: [
                "Uplink", "Site", "Beliefs", "BeliefStore", "Registry", "SiteDatabase", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "AppTests", dependencies: ["App", "API", "Site", "Jobs", "Registry", "SiteDatabase", "BeliefStore", "Beliefs", "TestSupport"]),
    ]
)
