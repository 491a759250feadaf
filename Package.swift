// swift-tools-version:6.1
//
// chipsales: order, inventory and allocation backend for a scarce AI accelerator.
//
// Dependencies point one way (each arrow is a declared dependency; no module
// imports anything it does not declare):
//
//   chipsales (CLI) ──> Jobs ──> Store ──> Allocation ──> Values
//        │              │        ├──────> Domain ──────> Values
//        │              │        └──────> Database ────> Values, CLibPQ (libpq)
//        │              └──> Allocation, Database, Domain, Values
//        └──> Allocation, Database, Domain, Values (and swift-argument-parser)
//   allocbench ──> Allocation        entrybench ──> Database, Domain, Store
//
// Values is the leaf: the value types every layer shares (ISO week `Period`,
// `Timestamp`, `ExactDecimal`), standard library only (and the C library's
// wall clock for `Timestamp.now`). Allocation is the pure
// engine (standard library and Values, no I/O). Store is the only Swift that
// holds SQL. Logging (swift-log) goes to Database, Store and the CLI.
// docs/architecture.md says where each concept lives.
import PackageDescription

let package = Package(
    name: "chipsales",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chipsales", targets: ["chipsales"]),
        .executable(name: "allocbench", targets: ["allocbench"]),
        .executable(name: "entrybench", targets: ["entrybench"]),
        .library(name: "Database", targets: ["Database"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // libpq, the PostgreSQL C client library, found through pkg-config.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        // The value types shared by every layer: ISO weeks, timestamps, exact
        // decimals. Standard library only; depends on nothing.
        .target(name: "Values"),
        // Our small, safe layer over libpq: connections, parameterized
        // statements, typed rows, transactions with retry, streaming COPY.
        // It reads and writes timestamps through `Values.Timestamp`.
        .target(
            name: "Database",
            dependencies: [
                "CLibPQ",
                "Values",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The capacity allocator: pure (standard library only, no I/O), the
        // rules of docs/allocation.md.
        .target(name: "Allocation", dependencies: ["Values"]),
        // Times the allocator on generated scenarios (scripts/bench).
        .executableTarget(name: "allocbench", dependencies: ["Allocation"]),
        // Times order entry through the store from concurrent clients (scripts/bench).
        .executableTarget(name: "entrybench", dependencies: ["Database", "Domain", "Store"]),
        // Domain value types that validate themselves, one folder per area.
        // Its week type is `Values.Period` (alias `ISOWeek`).
        .target(name: "Domain", dependencies: ["Values"]),
        // Repositories and migrations: the only place (with schema/) that holds SQL.
        .target(
            name: "Store",
            dependencies: [
                "Allocation",
                "Database",
                "Domain",
                "Values",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Work of several steps as types a scheduler, a test or the CLI calls:
        // the weekly allocation job, order entry with its quote.
        .target(name: "Jobs", dependencies: ["Allocation", "Database", "Domain", "Store", "Values"]),
        // The operator CLI: parses, calls a store or a job, prints.
        .executableTarget(
            name: "chipsales",
            dependencies: [
                "Allocation",
                "Database",
                "Domain",
                "Jobs",
                "Store",
                "Values",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared by the test targets: a private database per test.
        .target(
            name: "TestSupport",
            dependencies: [
                "Allocation", "Database", "Domain", "Store",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "DatabaseTests", dependencies: ["Database", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Allocation", "Database", "Domain", "Store", "TestSupport", "Values"]),
        .testTarget(name: "ValuesTests", dependencies: ["Values"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain", "Values"]),
        .testTarget(name: "AllocationTests", dependencies: ["Allocation", "Values"]),
        .testTarget(
            name: "CLITests",
            dependencies: ["Database", "Store", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "JobTests", dependencies: ["Jobs", "Allocation", "Database", "Domain", "Store", "TestSupport", "Values"]),
    ],
    swiftLanguageModes: [.v6]
)
