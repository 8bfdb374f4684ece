import ArgumentParser
import Testing
@testable import incident_wizard

/// `run`'s fast path reads exactly what ArgumentParser would, and hands everything else to it.
@Suite struct EntryTests {
    static func parsed(_ arguments: [String]) throws -> Run {
        let command = try RunCommand.parse(arguments.first == "run" ? Array(arguments.dropFirst()) : arguments)
        return Run(playbook: command.playbook, lang: command.lang, reports: command.reports, plain: command.plain,
                   drill: command.drill, resume: command.resume, playbooksDirectory: command.options.playbooks)
    }

    @Test(arguments: [
        [], ["run"], ["run", "emotet"], ["run", "emotet", "--lang", "ja", "--reports", "/tmp/r", "--playbooks", "pb"],
        ["run", "--drill", "--plain", "--lang=en", "--reports=/tmp/a b", "/path/to/play book.yaml"],
        ["run", "--resume", "/tmp/r/x"], ["run", "--", "-odd-name.yaml"], ["run", "--playbooks=pb", "spoofed-mail", "--drill"],
    ])
    func theFastPathReadsWhatArgumentParserReads(_ arguments: [String]) throws {
        let fast = try #require(Entry.fastRun(arguments))
        let slow = try Self.parsed(arguments)
        #expect(fast.playbook == slow.playbook && fast.lang == slow.lang && fast.reports == slow.reports)
        #expect(fast.plain == slow.plain && fast.drill == slow.drill && fast.resume == slow.resume)
        #expect(fast.playbooksDirectory == slow.playbooksDirectory)
    }

    @Test(arguments: [
        ["validate", "x.yaml"], ["--help"], ["run", "--help"], ["run", "-h"], ["--version"], ["run", "--bogus"],
        ["run", "a", "b"], ["run", "--lang"], ["run", "--lang", "--plain"], ["run", "--plain=yes"], ["run", "--lang", "ja", "--lang", "en"],
        ["run", "--generate-completion-script", "bash"], ["list"],
    ])
    func everythingElseGoesToArgumentParser(_ arguments: [String]) {
        #expect(Entry.fastRun(arguments) == nil)
    }
}
