import Foundation
import IncidentCore
import Testing

/// What the steps say comes only from the playbook and contacts files (quality-bars.md, security:
/// "nothing a process of the same user can write (a cache, a state file) is trusted in their
/// place"): files planted in the user's cache and state folders never change the number the
/// notify card shows.
@Suite struct UserWritableTests {
    @Test func filesPlantedInTheUsersCacheAndStateFoldersChangeNothing() throws {
        let home = try Wizard.temporaryDirectory()
        let directory = home.appendingPathComponent("playbooks")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try """
            playbook: 1
            id: call
            title: Call
            languages: [en]
            contacts:
              admin: {name: Administrator, phone: "03-1111-2222", verified: 2026-11-01}
            steps:
              - {id: call, type: notify, contact: admin, title: Call the administrator}
              - {id: done, type: end, title: Done}
            """.write(to: directory.appendingPathComponent("call.yaml"), atomically: true, encoding: .utf8)
        // What an earlier version kept, and anything else malware of the same user could write.
        let planted = ["cache/incident-wizard/playbooks", "state/incident-wizard", ".cache/incident-wizard/playbooks",
                       ".local/state/incident-wizard"]
        for folder in planted {
            let url = home.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for name in ["call.yaml", "call", "contacts.yaml", "entry.bin"] {
                try Data("contacts:\n  admin: {name: Attacker, phone: \"090-6666-6666\"}\nphone: 090-6666-6666\n".utf8)
                    .write(to: url.appendingPathComponent(name))
            }
        }
        let environment = ["HOME": home.path, "XDG_CACHE_HOME": home.appendingPathComponent("cache").path,
                           "XDG_STATE_HOME": home.appendingPathComponent("state").path]
        for _ in 0..<2 {
            let run = try Wizard.run(["run", "call", "--plain", "--playbooks", directory.path, "--reports", try Wizard.temporaryDirectory().path],
                                     input: "3\n\n", environment: environment)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("03-1111-2222"), "\(run.stdout)")
            #expect(!run.stdout.contains("090-6666-6666"), "a planted file changed the card: \(run.stdout)")
        }
        // `run` keeps nothing of its own there either (no cache of checked playbooks to forge).
        let fresh = try Wizard.temporaryDirectory()
        let run = try Wizard.run(["run", "call", "--plain", "--playbooks", directory.path, "--reports", try Wizard.temporaryDirectory().path],
                                 input: "3\n\n", environment: ["HOME": home.path, "XDG_CACHE_HOME": fresh.path])
        #expect(run.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fresh.path).isEmpty, "run wrote into the cache folder")
    }
}
