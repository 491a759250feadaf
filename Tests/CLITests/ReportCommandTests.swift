import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

@Suite("chipsales report")
struct ReportCommandTests {
    static let reports = ["order-book", "internal-share", "capacity", "backlog", "allocated-value", "run-change", "inventory"]

    func planned() throws -> TestDatabase {
        let database = try TestDatabase.make()
        try AllocationStory.load(try database.connect())
        let run = try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: ["DATABASE_URL": database.url])
        #expect(run.status == 0, "\(run.stderr)")
        return database
    }

    @Test("every report prints as a table, CSV and JSON that parse, with the same rows")
    func formats() throws {
        let database = try planned()
        defer { database.drop() }
        for report in Self.reports {
            let env = ["DATABASE_URL": database.url]
            let table = try runChipsales(["report", report], environment: env)
            #expect(table.status == 0, "\(report): \(table.stderr)")
            let csv = try runChipsales(["report", report, "--format", "csv"], environment: env)
            let json = try runChipsales(["report", report, "--format", "json"], environment: env)
            let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(report)")
            let lines = csv.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == objects.count + 1, "\(report)")
            #expect(lines.first.map { $0.split(separator: ",").count } == objects.first.map { $0.count } ?? lines.first.map { $0.split(separator: ",").count })
        }
    }

    /// Analysts log in with only `chipsales_reporting`: every report, in
    /// every format, for the current plan and for an earlier run by `--run`.
    @Test("a login holding only chipsales_reporting runs every report in every format, also with --run")
    func asReportingLogin() throws {
        let database = try planned()
        let analyst = try database.makeLogin(in: "chipsales_reporting")
        defer { database.drop(); database.dropRole(analyst) }
        let second = try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: ["DATABASE_URL": database.url])
        #expect(second.status == 0, "\(second.stderr)")
        let env = ["DATABASE_URL": database.url(asUser: analyst)]
        for report in Self.reports {
            let runs: [[String]] = report == "inventory" ? [[]] : [[], ["--run", "1"]]
            for run in runs {
                for format in ["table", "csv", "json", "html"] {
                    let output = try runChipsales(["report", report, "--format", format] + run, environment: env)
                    #expect(output.status == 0, "\(report) \(format) \(run): \(output.stderr)")
                    #expect(!output.stdout.isEmpty, "\(report) \(format) \(run)")
                }
            }
        }
        // The figures are the ones the owner sees.
        for report in Self.reports {
            let owner = try runChipsales(["report", report, "--format", "csv"], environment: ["DATABASE_URL": database.url])
            let mine = try runChipsales(["report", report, "--format", "csv"], environment: env)
            #expect(mine.stdout == owner.stdout, "\(report)")
        }
    }

    @Test("filters that do not apply are refused, an unknown report is a usage error")
    func refusals() throws {
        let database = try planned()
        defer { database.drop() }
        let env = ["DATABASE_URL": database.url]
        #expect(try runChipsales(["report", "order-book", "--sku", "TRN3"], environment: env).status == 64)
        #expect(try runChipsales(["report", "inventory", "--run", "1"], environment: env).status == 64)
        #expect(try runChipsales(["report", "nonsense"], environment: env).status == 64)
        #expect(try runChipsales(["report", "capacity", "--from", "2027-W99"], environment: env).status == 64)
    }

    @Test("a filter naming a run, customer or SKU that does not exist is refused (65) naming it, for an analyst's login too")
    func unknownNames() throws {
        let database = try planned()
        defer { database.drop() }
        let analyst = try database.makeLogin(in: "chipsales_reporting")
        defer { database.dropRole(analyst) }
        for url in [database.url, database.url(asUser: analyst)] {
            let env = ["DATABASE_URL": url]
            let cases: [([String], String)] = [
                (["report", "backlog", "--customer", "nobody", "--format", "json"], "customer nobody does not exist"),
                (["report", "capacity", "--sku", "NOPE"], "product NOPE does not exist"),
                (["report", "capacity", "--run", "424242", "--format", "html", "--output", "/dev/null"], "allocation run 424242 does not exist"),
                (["report", "order-book", "--run", "1", "--customer", "nobody"], "customer nobody does not exist"),
                (["report", "inventory", "--sku", "NOPE", "--format", "csv"], "product NOPE does not exist"),
            ]
            for (arguments, message) in cases {
                let output = try runChipsales(arguments, environment: env)
                #expect(output.status == 65, "\(arguments): \(output.stderr)")
                #expect(output.stderr == "chipsales: \(message)\n", "\(arguments): \(output.stderr)")
                #expect(output.stdout.isEmpty)
            }
        }
        // A name that exists but has no rows still answers with an empty report.
        let none = try runChipsales(["report", "backlog", "--customer", "tokyo-compute", "--format", "json"],
                                    environment: ["DATABASE_URL": database.url])
        #expect(none.status == 0, "\(none.stderr)")
    }

    @Test("before the first run, a per-run report and allocate explain say that no plan is stored yet and how to make one")
    func noPlanYet() throws {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        let analyst = try database.makeLogin(in: "chipsales_reporting")
        defer { database.drop(); database.dropRole(analyst) }
        let message = "chipsales: allocation plan does not exist: no run has been stored yet; run `chipsales allocate run` first\n"
        let report = try runChipsales(["report", "order-book"], environment: ["DATABASE_URL": database.url(asUser: analyst)])
        #expect(report.status == 65, "\(report.stderr)")
        #expect(report.stderr == message)
        let created = try runChipsales(["order", "create", "--customer", "helios-dc", "--reference", "PO-1", "--line", "TRN3:16:\(Weeks.text(1))"],
                                       environment: ["DATABASE_URL": database.url])
        #expect(created.status == 0, "\(created.stderr)")
        let explain = try runChipsales(["allocate", "explain", "1"], environment: ["DATABASE_URL": database.url])
        #expect(explain.status == 65, "\(explain.stderr)")
        #expect(explain.stderr == message)
        let confirmations = try runChipsales(["order", "confirmations", "--customer", "helios-dc"], environment: ["DATABASE_URL": database.url])
        #expect(confirmations.status == 65, "\(confirmations.stderr)")
        #expect(confirmations.stderr == message)
        // The inventory report is not per run: it answers.
        #expect(try runChipsales(["report", "inventory"], environment: ["DATABASE_URL": database.url(asUser: analyst)]).status == 0)
    }

    @Test("the HTML report is one well-formed, self-contained page with charts", arguments: ["internal-share", "capacity", "backlog", "order-book"])
    func html(report: String) throws {
        let database = try planned()
        defer { database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("\(report).html").path
        let output = try runChipsales(["report", report, "--format", "html", "--output", file], environment: ["DATABASE_URL": database.url])
        #expect(output.status == 0, "\(output.stderr)")
        let page = try String(contentsOfFile: file, encoding: .utf8)
        #expect(page.contains("<svg class=\"chart\""))
        #expect(!page.contains("http://") || !page.replacingOccurrences(of: "http://www.w3.org/", with: "").contains("http://"))
        #expect(!page.contains("https://") && !page.contains("<link") && !page.contains("src="))
        // A static page: nothing runs in the reader's browser.
        #expect(!page.contains("<script") && !page.contains("javascript:") && page.range(of: #"\son[a-z]+=""#, options: .regularExpression) == nil, "\(report)")
        // Well-formed: the page parses as XML (it is written as XHTML).
        let parser = XMLParser(data: Data(page.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(report): \(String(describing: parser.parserError))")
    }

    static let chromium = ["chromium", "chromium-browser", "google-chrome"].compactMap { name -> String? in
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }.first

    /// A real browser draws the charts: headless Chromium lays out the page,
    /// and the test measures the layout itself. The page is static; the test
    /// adds its own measuring script to a copy of it (`Self.measure`), which
    /// counts the bars that have a drawn size and the labels that fall
    /// outside their chart and writes the counts into the DOM Chromium dumps.
    @Test("headless Chromium draws every chart bar and clips no label",
          .enabled(if: chromium != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "needs Chromium (apt-get install chromium); CI installs it"),
          arguments: [("internal-share", 1), ("capacity", 1), ("backlog", 2), ("order-book", 1), ("run-change", 1)])
    func rendersInChromium(report: String, charts: Int) throws {
        let browser = try #require(Self.chromium, "Chromium is not installed: apt-get install chromium")
        let database = try planned()
        defer { database.drop() }
        #expect(try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: ["DATABASE_URL": database.url]).status == 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("\(report).html").path
        #expect(try runChipsales(["report", report, "--format", "html", "--output", file],
                                 environment: ["DATABASE_URL": database.url]).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        let page = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!page.contains("<script"))
        let measured = folder.appendingPathComponent("\(report).measured.html").path
        try page.replacingOccurrences(of: "</body>", with: Self.measure + "</body>").write(toFile: measured, atomically: true, encoding: .utf8)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder.path)/profile",
                             "--dump-dom", "file://\(measured)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let dom = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // Every bar with a value (a zero-chip segment has no height) is drawn
        // with a real size by the browser's layout.
        let bars = page.components(separatedBy: "<rect class=\"bar\"").dropFirst()
        let withValue = bars.filter { !$0.contains("height=\"0.0\"") }.count
        #expect(withValue > 0)
        #expect(dom.contains("data-bars-drawn=\"\(withValue)\""), "\(report): expected \(withValue) bars: \(dom.prefix(800))")
        #expect(dom.contains("data-charts=\"\(charts)\""), "\(report)")
        #expect(dom.contains("data-labels-clipped=\"0\""), "\(report): \(dom.prefix(1200))")
    }

    /// The test's own measurement of a laid-out report, added to a copy of
    /// the page: how many chart bars have a drawn size, how many labels fall
    /// outside their chart (they would be clipped), and how many charts
    /// there are, written as attributes of `<body>` for `--dump-dom`.
    static let measure = """
        <script>
        //<![CDATA[
        window.addEventListener('load', function () {
          var drawn = 0;
          document.querySelectorAll('svg.chart .bar').forEach(function (bar) {
            var box = bar.getBoundingClientRect();
            if (box.width > 0 && box.height > 0) { drawn += 1; }
          });
          document.body.setAttribute('data-bars-drawn', String(drawn));
          var clipped = 0;
          document.querySelectorAll('svg.chart').forEach(function (chart) {
            var frame = chart.getBoundingClientRect();
            chart.querySelectorAll('text').forEach(function (label) {
              var box = label.getBoundingClientRect();
              if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 ||
                  box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5) { clipped += 1; }
            });
          });
          document.body.setAttribute('data-labels-clipped', String(clipped));
          document.body.setAttribute('data-charts', String(document.querySelectorAll('svg.chart').length));
        });
        //]]>
        </script>

        """

    /// The page of `report` for the planned story, after a second run with
    /// the same as-of week and a 60% internal floor.
    func page(_ report: String) throws -> String {
        let database = try planned()
        defer { database.drop() }
        #expect(try runChipsales(["policy", "set", "--internal-floor", "0.6"], environment: ["DATABASE_URL": database.url]).status == 0)
        #expect(try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: ["DATABASE_URL": database.url]).status == 0)
        let output = try runChipsales(["report", report, "--format", "html"], environment: ["DATABASE_URL": database.url])
        #expect(output.status == 0, "\(output.stderr)")
        return output.stdout
    }

    /// The first text inside each element that starts with `prefix`
    /// (`<text class="tick"`; for `<polyline`, its `<title>`).
    func texts(_ page: String, after prefix: String) -> [String] {
        page.components(separatedBy: prefix).dropFirst().compactMap { part in
            guard let end = part.range(of: "</"), let start = part[..<end.lowerBound].lastIndex(of: ">") else { return nil }
            return String(part[part.index(after: start)..<end.lowerBound])
        }
    }

    @Test("HTML charts: titled with their SKU, round axis ticks, floor and available stock drawn as lines, headers in words")
    func chartContents() throws {
        let share = try page("internal-share")
        #expect(texts(share, after: "<h2").allSatisfy { $0.hasPrefix("TRN3: ") }, "\(texts(share, after: "<h2"))")
        let ticks = texts(share, after: "<text class=\"tick\"").compactMap { Int($0.replacingOccurrences(of: ",", with: "")) }
        #expect(ticks.count >= 3 && ticks.first == 0)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 0
        var unit = step
        while unit >= 10 && unit % 10 == 0 { unit /= 10 }
        #expect([1, 2, 5, 25].contains(unit), "ticks \(ticks)")
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $1 - $0 == step }, "ticks \(ticks)")
        let lines = texts(share, after: "<polyline")
        #expect(lines.contains("supply") && lines.contains("available (carry + supply)"), "\(lines)")
        #expect(lines.contains("internal floor (60% of available)"), "\(lines)")
        let headers = texts(share, after: "<th ")
        #expect(headers.contains("Internal % of allocated") && headers.contains("SKU") && headers.contains("Week"), "\(headers)")
        #expect(!headers.contains { $0.contains("_") })
        let capacity = try page("capacity")
        #expect(texts(capacity, after: "<polyline").contains("available (carry + supply)"))
        #expect(texts(capacity, after: "<th ").contains("Utilisation %"))
        let book = try page("order-book")
        #expect(texts(book, after: "<th ").contains("Fill rate %") && texts(book, after: "<th ").contains("Customer"))
    }

    @Test("the backlog-over-time chart labels each run, also two runs with the same as-of week")
    func backlogRuns() throws {
        let backlog = try page("backlog")
        let labels = texts(backlog, after: "<text x=")
        #expect(labels.contains("run 1 (2027-W10)") && labels.contains("run 2 (2027-W10)"), "\(labels)")
    }
}
