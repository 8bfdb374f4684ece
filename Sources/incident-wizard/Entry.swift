import ArgumentParser
import Foundation

/// The program's entry. `run` (and no arguments, its default) is what a frightened employee
/// starts, and ArgumentParser's reflection over the command tree costs about three milliseconds,
/// a fifth of the time to the first screen (bench/README.md). So the plain forms of `run`'s few
/// options are read here; anything else — other commands, help, version, an unknown or
/// malformed option — goes through ArgumentParser, which gives the same messages as always.
@main
enum Entry {
    static func main() {
        if let run = fastRun(Array(CommandLine.arguments.dropFirst())) {
            do {
                try run.execute()
            } catch let code as ExitCode {
                // The usual way out (0 end, 3 quit): no message to build.
                Foundation.exit(code.rawValue)
            } catch {
                exit(for: error)
            }
            return
        }
        do {
            var command = try IncidentWizard.parseAsRoot()
            try command.run()
        } catch {
            exit(for: error)
        }
    }

    /// ArgumentParser's message and status for an error, except that a usage error exits 2, as the
    /// contract says (ArgumentParser's own is 64, EX_USAGE).
    static func exit(for error: Error) -> Never {
        let code = IncidentWizard.exitCode(for: error)
        guard code.rawValue == ExitCode.validationFailure.rawValue else { IncidentWizard.exit(withError: error) }
        Output.err(IncidentWizard.fullMessage(for: error))
        Foundation.exit(2)
    }

    /// `run`'s options when every argument is one of its plain forms, else nil.
    static func fastRun(_ arguments: [String]) -> Run? {
        var rest = arguments[...]
        if let first = rest.first {
            guard first == "run" else { return nil }
            rest = rest.dropFirst()
        }
        var run = Run()
        var positional = false
        while let argument = rest.popFirst() {
            if positional || !argument.hasPrefix("-") || argument == "-" {
                guard run.playbook == nil else { return nil }
                run.playbook = argument
                continue
            }
            if argument == "--" { positional = true; continue }
            var name = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            func value() -> String? {
                if let inline { return inline }
                guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
                return next
            }
            switch name {
            case "--plain" where inline == nil: run.plain = true
            case "--drill" where inline == nil: run.drill = true
            case "--lang": guard run.lang == nil, let v = value() else { return nil }; run.lang = v
            case "--reports": guard run.reports == nil, let v = value() else { return nil }; run.reports = v
            case "--resume": guard run.resume == nil, let v = value() else { return nil }; run.resume = v
            case "--playbooks": guard run.playbooksDirectory == nil, let v = value() else { return nil }; run.playbooksDirectory = v
            default: return nil
            }
        }
        return run
    }
}
