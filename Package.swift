// swift-tools-version:6.1
//
// chipsales: order, inventory and allocation backend for a scarce AI accelerator.
//
// Dependencies point one way:
//   chipsales (CLI) -> Store -> Domain, Database -> CLibPQ
//   Allocation is pure (standard library only) and used by the CLI and Store.
import PackageDescription

let package = Package(
    name: "chipsales",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "chipsales", targets: ["chipsales"]),
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
        // Domain value types that validate themselves, one folder per area.
        .target(name: "Domain"),
        // Repositories and migrations: the only place (with schema/) that holds SQL.
        .target(
            name: "Store",
            dependencies: [
                "Database",
                "Domain",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The operator CLI.
        .executableTarget(
            name: "chipsales",
            dependencies: [
                "Database",
                "Domain",
                "Store",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared by the test targets: a private database per test.
        .target(
            name: "TestSupport",
            dependencies: ["Database", "Store"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "DatabaseTests", dependencies: ["Database", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Domain", "Database", "TestSupport"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Database", "Store"]),
    ],
    swiftLanguageModes: [.v6]
)
