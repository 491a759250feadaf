import Foundation
import Testing
import TestSupport

@Suite("chipsales allocate (no database)")
struct AllocateCommandTests {
    @Test("a generated scenario simulates to JSON and to a planner's table, the same every time")
    func generateAndSimulate() throws {
        let generated = try runChipsales(["allocate", "generate-scenario", "--lines", "500", "--customers", "12", "--skus", "2", "--weeks", "6", "--seed", "9"])
        #expect(generated.status == 0)
        let path = try Fixtures.file("scenario.json", generated.stdout)
        let first = try runChipsales(["allocate", "simulate", path])
        #expect(first.status == 0, "\(first.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        for key in ["allocations", "released", "customers", "backlog", "periods"] { #expect(result[key] is [Any], "\(key)") }
        let again = try runChipsales(["allocate", "simulate", "-"], input: generated.stdout)
        #expect(again.stdout == first.stdout)
        let table = try runChipsales(["allocate", "simulate", "--format", "table", path])
        #expect(table.status == 0 && table.stdout.contains("fill rate"))
    }

    @Test("a week whose frozen lots exceed its supply is released, not refused: the JSON and the table list the released chips")
    func releasedLots() throws {
        let scenario = """
            {"products": [{"sku": "TRN3", "lotSize": 16}],
             "customers": [{"id": "aws", "internal": true}, {"id": "b"}],
             "supply": [{"sku": "TRN3", "period": "2026-W49", "quantity": 32},
                        {"sku": "TRN3", "period": "2026-W50", "quantity": 32}],
             "orders": [{"id": "L-1", "customer": "aws", "sku": "TRN3", "quantity": 0,
                         "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z"},
                        {"id": "L-2", "customer": "b", "sku": "TRN3", "quantity": 0,
                         "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z"}],
             "fixed": [{"order": "L-1", "period": "2026-W49", "quantity": 32},
                       {"order": "L-2", "period": "2026-W49", "quantity": 32}]}
            """
        let output = try runChipsales(["allocate", "simulate", "-"], input: scenario)
        #expect(output.status == 0, "\(output.stderr)")
        // The outside buyer's frozen lots go first; the next week gives them back.
        #expect(output.stdout.hasPrefix(#"{"allocations":[{"order":"L-1","sku":"TRN3","period":"2026-W49","quantity":32},{"order":"L-2","sku":"TRN3","period":"2026-W50","quantity":32}],"released":[{"order":"L-2","sku":"TRN3","period":"2026-W49","quantity":32}],"#))
        let table = try runChipsales(["allocate", "simulate", "--format", "table", "-"], input: scenario)
        #expect(table.status == 0 && table.stdout.contains("L-2   2026-W49        32"), "\(table.stdout)")
    }

    @Test("a bad scenario file exits 65 naming the record")
    func refused() throws {
        let scenario = """
            {"products": [{"sku": "TRN3", "lotSize": 16}],
             "customers": [{"id": "a"}],
             "supply": [{"sku": "TRN3", "period": "2026-W49", "quantity": 160}],
             "orders": [{"id": "L-1", "customer": "a", "sku": "TRN3", "quantity": 100,
                         "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z"}]}
            """
        let output = try runChipsales(["allocate", "simulate", "-"], input: scenario)
        #expect(output.status == 65)
        #expect(output.stderr.contains("L-1") && output.stderr.contains("lot size 16"))
        let missing = try runChipsales(["allocate", "simulate", "/nonexistent.json"])
        #expect(missing.status == 66)
    }
}
