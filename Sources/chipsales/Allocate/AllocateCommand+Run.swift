import ArgumentParser
import Jobs

extension AllocateCommand {
    /// `chipsales allocate run`
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ration the horizon's supply among open orders and store the plan.",
            discussion: """
                As of a week (default: this ISO week), reads the supply from that week on, on-hand \
                stock, open lines, the current plan's frozen weeks and shipment history; allocates by \
                the policy (chipsales policy show); stores the run and makes it the current plan in \
                one transaction. One run at a time: a second exits 75, or waits with --wait.

                Examples:
                  chipsales allocate run
                  chipsales allocate run --as-of 2026-W49 --dry-run
                  chipsales allocate run --wait --format json
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "First week of the horizon (default: the current ISO week, UTC).") var asOf: WeekArgument?
        @Flag(help: "Compute and print, but store nothing.") var dryRun = false
        @Flag(help: "Wait for a run in progress instead of exiting 75.") var wait = false
        @Option(help: "table or json (one document: snake_case keys, chips and percentages as numbers).") var format: RunFormat = .table
        @OptionGroup var progressOptions: ProgressOptions

        func run() async throws {
            let progress = progressOptions.progress()
            defer { progress.finish() }
            let job = AllocationJob(asOf: asOf?.week, dryRun: dryRun, wait: wait)
            let run = try await job.run(on: try database.connect()) { phase in
                switch phase {
                case .reading: progress.start("reading the plan's input")
                case .allocating(let lines): progress.start("allocating \(Progress.orderLines(lines))")
                case .storing: progress.start("storing the run")
                }
            }
            progress.finish()
            StandardOutput.line(RunSummary(run).render(format, dryRun: dryRun))
        }
    }
}
