import ArgumentParser

/// `chipsales allocate`
struct AllocateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate", abstract: "Ration scarce supply among buyers (docs/allocation.md).",
        subcommands: [Simulate.self, GenerateScenario.self])
}
