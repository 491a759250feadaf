import Database
import Domain
import Foundation
import Store

/// A small, realistic catalogue for tests: three SKUs and four customers.
public enum Fixtures {
    /// TRN3 (chips, lot 16), TRN3-BOARD (lot 64), TRN3-SERVER (lot 256);
    /// aws-cloud (internal), helios-dc (DE, tier 2), nordic-ai (SE, pending), tokyo-compute (JP, tier 1).
    public static func seed(_ connection: Connection) throws {
        let products = ProductStore(connection)
        try products.add(Product(sku: "TRN3", name: "Trainium3", lotSize: 16, unitPrice: Decimal(string: "9800.00")!, currency: "USD"))
        try products.add(Product(sku: "TRN3-BOARD", name: "Trainium3 board", lotSize: 64, unitPrice: Decimal(string: "9950.00")!, currency: "USD"))
        try products.add(Product(sku: "TRN3-SERVER", name: "Trainium3 server", lotSize: 256, unitPrice: Decimal(string: "10100.00")!, currency: "USD"))
        let customers = CustomerStore(connection)
        try customers.add(Customer(id: "aws-cloud", name: "Our cloud", country: "US", isInternal: true))
        try customers.add(Customer(id: "helios-dc", name: "Helios Data Centers", country: "DE", tier: 2, weight: Decimal(string: "1.5")!))
        try customers.add(Customer(id: "nordic-ai", name: "Nordic AI", country: "SE", tier: 2, compliance: .pending))
        try customers.add(Customer(id: "tokyo-compute", name: "東京コンピュート", country: "JP", tier: 1))
    }

    /// Writes a file in a fresh temporary folder and returns its path.
    public static func file(_ name: String, _ contents: String) throws -> String {
        try file(name, Data(contents.utf8))
    }

    public static func file(_ name: String, _ contents: Data) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chipsales-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    /// Counts rows of a table (for "nothing changed" checks); the name is the test's own literal.
    public static func count(_ table: StaticString, _ connection: Connection) throws -> Int {
        try connection.queryFirst("SELECT count(*)::int AS n FROM \(table)")!.decode("n")
    }
}
