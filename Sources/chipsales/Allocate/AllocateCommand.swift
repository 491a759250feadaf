import ArgumentParser

/// `chipsales allocate`
struct AllocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate", abstract: "Ration scarce supply among buyers (docs/allocation.md).",
        subcommands: [
            Run.self, ExportScenario.self, Explain.self, History.self, Diff.self, Simulate.self, GenerateScenario.self,
        ])
}
