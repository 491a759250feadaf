import ArgumentParser
import Domain
import Foundation
import Store
import Values

extension Report: ExpressibleByArgument {}

/// `chipsales report NAME`
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Planners' and analysts' figures, read through the reporting views.",
        discussion: """
            Reports: \(Report.allCases.map(\.rawValue).joined(separator: ", ")). Per-run reports show \
            the current plan unless --run names another. --format html writes one self-contained \
            page with charts. The views and their columns are described in docs/reporting.md.

            Examples:
              chipsales report internal-share --from 2026-W49 --to 2027-W10 --sku TRN3
              chipsales report order-book --customer helios-dc --format csv
              chipsales report capacity --format html --output capacity.html

            Reports read from --reporting-url, else CHIPSALES_REPORTING_URL, else the database every \
            command uses: point them at a hot standby to keep analysts' reads off the primary. A report \
            a standby cancels (a replication conflict) is run once more, then exits 75.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json, html }

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: ArgumentHelp(
        "The server reports read from, e.g. a hot standby (default: CHIPSALES_REPORTING_URL, else as --database-url).",
        valueName: "url"))
    var reportingURL: String?
    @Argument(help: "The report: \(Report.allCases.map(\.rawValue).joined(separator: ", ")).") var report: Report
    @Option(help: "From this ISO week (inclusive).") var from: WeekArgument?
    @Option(help: "To this ISO week (inclusive).") var to: WeekArgument?
    @Option(help: "Only this customer.") var customer: CustomerArgument?
    @Option(help: "Only this SKU.") var sku: SKUArgument?
    @Option(name: .customLong("run"), parsing: .unconditional, help: "This run instead of the current plan.") var runID: Int?
    @Option(help: "table, csv, json or html.") var format: Format = .table
    @Option(help: "Write to this file instead of standard output.") var output: String?

    func validate() throws {
        let definition = report.filters
        if (from != nil || to != nil) && !definition.week { throw ValidationError("--from/--to do not apply to \(report.rawValue)") }
        if customer != nil && !definition.customer { throw ValidationError("--customer does not apply to \(report.rawValue)") }
        if sku != nil && !definition.sku { throw ValidationError("--sku does not apply to \(report.rawValue)") }
        if runID != nil && !definition.run { throw ValidationError("--run does not apply to \(report.rawValue): it is not per run") }
    }

    func run() throws {
        let text = try readingFromStandby { store -> (rendered: String, table: ReportTable) in
            let table = try store.read(report, filter: ReportFilter(
                run: runID, from: from?.week.description, to: to?.week.description, customer: customer?.id, sku: sku?.sku))
            switch format {
            case .html:
                var page = HTMLReport(table: table, generatedAt: Date())
                if report == .backlog { page.backlogHistory = try store.backlogHistory() }
                if report == .internalShare, let run = table.run { page.internalFloor = try store.internalFloor(run: run) }
                return (page.render(), table)
            case .table: return (Self.listing(table).render(.table), table)
            case .csv: return (Self.listing(table).render(.csv), table)
            case .json: return (Self.listing(table).render(.json), table)
            }
        }
        let table = text.table
        if let output {
            try OutputFile.write(text.rendered + "\n", to: output)
            StandardError.line("wrote \(report.rawValue) (\(table.rows.count) rows\(table.run.map { ", run \($0)" } ?? "")) to \(Echo.path(output))")
        } else {
            StandardOutput.line(text.rendered)
        }
    }

    static func listing(_ table: ReportTable) -> Listing {
        var listing = Listing(columns: table.columns)
        for row in table.rows { listing.append(row.map(cell)) }
        return listing
    }

    static func cell(_ value: ReportValue) -> Cell {
        switch value {
        case .int(let v): .int(v)
        case .number(let text): .number(text)
        case .text(let v): .text(v)
        case .bool(let v): .bool(v)
        case .time(let v): .text(Timestamp(v).wholeSeconds.text)
        case .null: .null
        }
    }
}
