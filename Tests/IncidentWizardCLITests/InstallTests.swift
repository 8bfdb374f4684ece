import Foundation
import Testing

/// `make install` (scripts/install.sh) with a PREFIX that has characters the launcher's shell
/// and the desktop entry's Exec= give a meaning to: quoted in both, or refused before anything
/// is written.
@Suite struct InstallTests {
    struct Installed {
        var status: Int32
        var stderr: String
    }

    /// Runs `install.sh install` with DESTDIR empty (the files go where PREFIX says: a
    /// temporary folder), the binary under test and a stand-in man page.
    func install(prefix: String, sysconfdir: String) throws -> Installed {
        let manpage = try Wizard.temporaryDirectory().appendingPathComponent("incident-wizard.1")
        try ".TH incident-wizard 1\n".write(to: manpage, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Wizard.packageRoot.appendingPathComponent("scripts/install.sh").path, "install", "",
                             prefix, sysconfdir, Wizard.binary, manpage.path]
        let stderr = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        try process.run()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Installed(status: process.terminationStatus, stderr: text)
    }

    /// What sh makes of a word: printed by the shell itself.
    func shell(_ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        let stdout = Pipe()
        process.standardOutput = stdout
        try process.run()
        let text = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }

    @Test(arguments: ["a&b", "a b", "a|b"])
    func aPrefixWithShellCharactersIsQuotedInTheLauncherAndTheDesktopEntry(_ name: String) throws {
        let root = try Wizard.temporaryDirectory()
        let prefix = root.appendingPathComponent(name).path
        let result = try install(prefix: prefix, sysconfdir: root.appendingPathComponent("etc").path)
        #expect(result.status == 0, "\(result.stderr)")
        let launcher = try String(contentsOfFile: prefix + "/libexec/incident-wizard/launcher", encoding: .utf8)
        #expect(!launcher.contains("@BINDIR@"), "\(launcher)")
        let command = try #require(launcher.split(separator: "\n").first { $0.contains("/incident-wizard \"$@\"") })
        let word = command.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " \"$@\"", with: "")
        // The shell reads the launcher's word as the installed binary's path, and runs it.
        #expect(try shell("printf '%s' \(word)") == prefix + "/bin/incident-wizard", "\(command)")
        #expect(try shell("\(word) --version").contains("."), "\(command)")
        let desktop = try String(contentsOfFile: prefix + "/share/applications/incident-wizard.desktop", encoding: .utf8)
        let exec = desktop.split(separator: "\n").filter { $0.hasPrefix("Exec=") }
        #expect(exec == ["Exec=\"\(prefix)/libexec/incident-wizard/launcher\""], "\(exec)")
        if let validate = Wizard.which("desktop-file-validate") {
            #expect(try shell("'\(validate)' '\(prefix)/share/applications/incident-wizard.desktop' && echo valid") == "valid\n")
        }
    }

    @Test(arguments: ["relative/prefix", "/opt/line\nbreak"])
    func aPrefixThatCannotBeWrittenSafelyIsRefusedWithNothingInstalled(_ prefix: String) throws {
        let root = try Wizard.temporaryDirectory()
        let result = try install(prefix: prefix.hasPrefix("/") ? root.path + prefix : prefix,
                                 sysconfdir: root.appendingPathComponent("etc").path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("nothing was installed"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: Wizard.packageRoot.appendingPathComponent("relative").path))
    }
}
