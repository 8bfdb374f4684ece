import Foundation
import IncidentCore

/// The one way the commands print: every text goes through `Sanitizer` first, so a file name,
/// playbook text or journal field from outside can never drive the terminal (a planted file name
/// holding `ESC[2J` and a fake `OK` line is printed as visible `^[[2J`). Line breaks are kept.
enum Output {
    static func out(_ text: String, terminator: String = "\n") {
        write(Sanitizer.neutralise(text) + terminator, to: FileHandle.standardOutput)
    }

    static func err(_ text: String) {
        write(Sanitizer.neutralise(text) + "\n", to: FileHandle.standardError)
    }

    /// A document for tools (`report`): its bytes as they are when they go to a file or a pipe,
    /// neutralised only when they would reach a terminal.
    static func document(_ text: String) {
        write(isatty(1) == 1 ? Sanitizer.neutralise(text) : text, to: FileHandle.standardOutput)
    }

    private static func write(_ text: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data(text.utf8))
    }
}
