// swift-tools-version:6.1
//
// chipsales: order, inventory and allocation backend for a scarce AI accelerator.
//
// Dependencies point one way:
//   chipsales (CLI) -> Jobs -> Store -> Domain, Database -> CLibPQ
//   Allocation is pure (standard library only, no I/O); Domain shares its ISO week type.
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
        // Our small, safe layer over libpq: connections, parameterized
        // statements, typed rows, transactions with retry, streaming COPY.
        .target(
            name: "Database",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The capacity allocator: pure (standard library only, no I/O), the
        // rules of docs/allocation.md.
        .target(name: "Allocation"),
        // Times the allocator on generated scenarios (scripts/bench).
        .executableTarget(name: "allocbench", dependencies: ["Allocation"]),
        // Times order entry through the store from concurrent clients (scripts/bench).
        .executableTarget(name: "entrybench", dependencies: ["Database", "Domain", "Store"]),
        // Domain value types that validate themselves, one folder per area.
        // It shares the allocator's ISO week type.
        .target(name: "Domain", dependencies: ["Allocation"]),
        // Repositories and migrations: the only place (with schema/) that holds SQL.
        .target(
            name: "Store",
            dependencies: [
                "Database",
                "Domain",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Work of several steps as types a scheduler, a test or the CLI calls:
        // the weekly allocation job, order entry with its quote.
        .target(name: "Jobs", dependencies: ["Allocation", "Database", "Domain", "Store"]),
        // The operator CLI: parses, calls a store or a job, prints.
        .executableTarget(
            name: "chipsales",
            dependencies: [
                "Allocation",
                "Database",
                "Domain",
                "Jobs",
                "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared by the test targets: a private database per test.
        .target(
            name: "TestSupport",
            dependencies: [
                "Database", "Domain", "Store",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "DatabaseTests", dependencies: ["Database", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Domain", "Database", "TestSupport"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain"]),
        .testTarget(name: "AllocationTests", dependencies: ["Allocation"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Database", "Store"]),
        .testTarget(name: "JobTests", dependencies: ["Jobs", "Allocation", "Database", "Domain", "Store", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
