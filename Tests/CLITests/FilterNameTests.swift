import Foundation
import Testing
import TestSupport

/// A `--customer` or `--sku` filter is read like every other customer id
/// and SKU: case and surrounding spaces normalised, a malformed one a usage
/// error (64), and one that names nothing refused (65) with the nearest
/// known name, so a typo never reads as "no rows". For reports (as an
/// analyst's login) and for the operators' listings (as an app login).
@Suite("Filters that name a customer or SKU")
struct FilterNameTests {
    @Test("a report filter is normalised, and an unknown customer or SKU suggests the nearest known one, for an analyst's login")
    func reportFilters() throws {
        let database = try ReportCommandTests().planned()
        let analyst = try database.makeLogin(in: "chipsales_reporting")
        defer { database.drop(); database.dropRole(analyst) }
        let env = ["DATABASE_URL": database.url(asUser: analyst)]
        // Case and (also invisible) surrounding spaces: the same report as the plain name.
        let plain = try runChipsales(["report", "order-book", "--customer", "helios-dc", "--format", "csv"], environment: env)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("helios-dc,"))
        for typed in [" Helios-DC ", "helios-dc\u{A0}", "HELIOS-DC"] {
            let output = try runChipsales(["report", "order-book", "--customer", typed, "--format", "csv"], environment: env)
            #expect(output.status == 0, "\(typed): \(output.stderr)")
            #expect(output.stdout == plain.stdout, "\(typed)")
        }
        let sku = try runChipsales(["report", "capacity", "--sku", " trn3 ", "--format", "csv"], environment: env)
        #expect(sku.status == 0, "\(sku.stderr)")
        #expect(sku.stdout.contains("TRN3,"))
        let cases: [([String], Int32, String)] = [
            (["report", "order-book", "--customer", "helios-dx"], 65, "chipsales: customer helios-dx does not exist (did you mean helios-dc?)\n"),
            (["report", "backlog", "--customer", " Helios-DX\u{A0}"], 65, "chipsales: customer helios-dx does not exist (did you mean helios-dc?)\n"),
            (["report", "capacity", "--sku", "trn9"], 65, "chipsales: product TRN9 does not exist (did you mean TRN3?)\n"),
            (["report", "inventory", "--sku", "TRN33", "--format", "csv"], 65, "chipsales: product TRN33 does not exist (did you mean TRN3?)\n"),
        ]
        for (arguments, status, message) in cases {
            let output = try runChipsales(arguments, environment: env)
            #expect(output.status == status, "\(arguments): \(output.stderr)")
            #expect(output.stderr == message, "\(arguments): \(output.stderr)")
            #expect(output.stdout.isEmpty)
        }
        // A filter of the wrong shape cannot be a name: a usage error.
        #expect(try runChipsales(["report", "order-book", "--customer", "helios dc"], environment: env).status == 64)
        #expect(try runChipsales(["report", "capacity", "--sku", "TR N3"], environment: env).status == 64)
    }

    @Test("order list, supply list and inventory show refuse an unknown customer or SKU with the nearest known one, for an app login")
    func listingFilters() throws {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let env = ["DATABASE_URL": database.url(asUser: login)]
        let cases: [([String], String)] = [
            (["order", "list", "--customer", "helios-dx"], "chipsales: customer helios-dx does not exist (did you mean helios-dc?)\n"),
            (["order", "list", "--sku", "trn9", "--format", "csv"], "chipsales: product TRN9 does not exist (did you mean TRN3?)\n"),
            (["supply", "list", "--sku", "TRN9"], "chipsales: product TRN9 does not exist (did you mean TRN3?)\n"),
            (["inventory", "show", "--sku", "TRN9"], "chipsales: product TRN9 does not exist (did you mean TRN3?)\n"),
            (["inventory", "show", "--sku", "TRN9", "--movements", "--format", "json"], "chipsales: product TRN9 does not exist (did you mean TRN3?)\n"),
            (["order", "confirmations", "--customer", "helios-dx"], "chipsales: customer helios-dx does not exist (did you mean helios-dc?)\n"),
        ]
        for (arguments, message) in cases {
            let output = try runChipsales(arguments, environment: env)
            #expect(output.status == 65, "\(arguments): \(output.stderr)")
            #expect(output.stderr == message, "\(arguments): \(output.stderr)")
            #expect(output.stdout.isEmpty, "\(arguments)")
        }
        // A known name with nothing to show is an empty listing, not an error.
        for arguments in [["order", "list", "--customer", "tokyo-compute"], ["supply", "list", "--sku", "trn3"],
                          ["inventory", "show", "--sku", "TRN3-BOARD", "--movements"]] {
            let output = try runChipsales(arguments, environment: env)
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
        }
    }
}
