import ArgumentParser

/// The program's entry. `run` (and no arguments, its default) is what a frightened employee
/// starts, so it is parsed by `RunCommand` alone: the full command tree costs ArgumentParser a few
/// milliseconds of reflection (its completion-script check walks every subcommand), a third of
/// the time to the first screen. Everything else — other commands, help, version, and any
/// argument `RunCommand` rejects — goes through the full tree, so messages are unchanged.
@main
enum Entry {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let runArguments = fastRunArguments(arguments), let command = try? RunCommand.parse(runArguments) {
            do {
                try command.run()
            } catch {
                RunCommand.exit(withError: error)
            }
            return
        }
        IncidentWizard.main()
    }

    /// The arguments of `run` when the fast path applies: `run …` or nothing at all, without any
    /// request for help, version or completion.
    static func fastRunArguments(_ arguments: [String]) -> [String]? {
        let rest: [String]
        if arguments.isEmpty {
            rest = []
        } else if arguments[0] == "run" {
            rest = Array(arguments.dropFirst())
        } else {
            return nil
        }
        let special = ["-h", "--help", "-help", "--version", "--generate-completion-script", "--experimental-dump-help"]
        if rest.contains(where: { special.contains($0) || $0.hasPrefix("--generate-completion-script") }) { return nil }
        return rest
    }
}
