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

    /// A QR code's lines, dark on light with explicit colours on a terminal (a code with its
    /// colours inverted by a dark theme does not scan); as plain half blocks into a file or pipe.
    /// The lines are the wizard's own (only █ ▀ ▄ and spaces): nothing to neutralise.
    static func qr(_ lines: [String]) {
        let colour = isatty(1) == 1
        let text = lines.map { colour ? "\u{1b}[30;107m" + $0 + "\u{1b}[0m" : $0 }.joined(separator: "\n") + "\n"
        write(text, to: FileHandle.standardOutput)
    }

    private static func write(_ text: String, to handle: FileHandle) {
        try? handle.write(contentsOf: Data(text.utf8))
    }
}
