import Foundation
import IncidentCore
import IncidentEdges
import Testing

/// How the network step reads the network, and what a command's output holds.
@Suite struct StepEffectsTests {
    let wifi = NetworkReading.Interface(name: "wlan0", kind: "wifi", addresses: ["192.168.1.5"], defaultRoute: false)
    let cable = NetworkReading.Interface(name: "eth0", kind: "wired", addresses: ["10.0.0.2"], defaultRoute: false)

    @Test func howThePCWasDisconnected() {
        func method(_ before: [NetworkReading.Interface], disconnected: Bool = true, byCommand: Bool = false,
                    carrierLost: Set<String> = []) -> NetworkOutcome.Method {
            NetworkReading.outcome(disconnected: disconnected, byCommand: byCommand,
                                   before: NetworkReading(connected: before, defaultRoute: true),
                                   after: NetworkReading(connected: [], defaultRoute: false, carrierLost: carrierLost), checkedAt: "t").method
        }
        let tunnel = NetworkReading.Interface(name: "tun0", kind: "other", addresses: [], defaultRoute: false)
        #expect(method([wifi]) == .wifi)
        #expect(method([wifi, cable]) == .cable)
        #expect(method([]) == .unknown)
        #expect(method([tunnel]) == .unknown)
        // A link that is not wireless and lost its carrier: a cable was pulled.
        #expect(method([tunnel], carrierLost: ["tun0"]) == .cable)
        #expect(method([cable], byCommand: true) == .command)
        #expect(method([cable], disconnected: false) == .notDone)
        let outcome = NetworkReading.outcome(disconnected: false, byCommand: false,
                                             before: NetworkReading(connected: [wifi, cable], defaultRoute: true),
                                             after: NetworkReading(connected: [cable], defaultRoute: true), checkedAt: "t")
        #expect(outcome.interfacesBefore == ["wlan0", "eth0"] && outcome.interfacesAfter == ["eth0"])
    }

    @Test func interfacesAsTheEmployeeReadsThem() {
        #expect(Vocabulary(language: "en").stillConnected(wifi) == "Wi-Fi wlan0 is still on (192.168.1.5)")
        #expect(Vocabulary(language: "ja").stillConnected(cable) == "LAN ケーブル（eth0）がまだつながっています（10.0.0.2）")
        let veth = NetworkReading.Interface(name: "veth0", kind: "other", addresses: ["10.1.0.2"], defaultRoute: false)
        #expect(Vocabulary(language: "en").stillConnected(veth) == "The network connection veth0 is still on (10.1.0.2)")
        let hostile = NetworkReading.Interface(name: "x\u{1b}[2J", kind: "other", addresses: [], defaultRoute: false)
        #expect(!Vocabulary(language: "en").stillConnected(hostile).contains("\u{1b}"))
    }

    @Test func detectionLinesAcrossChunksCRLFAndTheLastLine() throws {
        let directory = try Wizard.temporaryDirectory()
        let file = directory.appendingPathComponent("scan.txt")
        var text = ""
        // The first detection straddles the 1 MiB chunk boundary.
        let filler = "/home/u/ok.txt: OK\n"
        while text.utf8.count < (1 << 20) - 20 { text += filler }
        text += "/home/u/invoice.doc: Win.Trojan.Emotet FOUND\r\n"
        text += "/home/u/FOUND.txt: OK\n" + String(repeating: "x", count: 200_000) + " FOUND\n"
        text += "/home/u/last.xls: Doc.Dropper FOUND"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let found = (CommandOutput.digest(of: file.path)?.detections ?? [])
        #expect(found.count == 2, "\(found.map { $0.prefix(60) })")
        #expect(found.first == "/home/u/invoice.doc: Win.Trojan.Emotet FOUND")
        #expect(found.last == "/home/u/last.xls: Doc.Dropper FOUND")
        var many = ""
        for index in 0..<150 { many += "/f\(index): X FOUND\n" }
        try many.write(to: file, atomically: true, encoding: .utf8)
        #expect((CommandOutput.digest(of: file.path)?.detections ?? []).count == 100)
    }

    @Test func timestampsAreRFC3339AndParseBackExactly() throws {
        #expect(StepTimes.milliseconds("1970-01-01T00:00:00.000Z") == 0)
        #expect(StepTimes.milliseconds("2026-11-29T09:12:03.123+09:00") == StepTimes.milliseconds("2026-11-29T00:12:03.123Z"))
        #expect(StepTimes.milliseconds("2024-02-29T23:59:59.999-05:30") == 1_709_270_999_999)
        #expect(StepTimes.milliseconds("2026-11-29 00:12:03") == nil)
        for seconds in [0.0, 951_782_400.5, 1_764_374_400.123, 2_000_000_000.999] {
            let date = Date(timeIntervalSince1970: seconds)
            let text = Timestamp.rfc3339(date)
            #expect(text.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$"#, options: .regularExpression) != nil, "\(text)")
            #expect(StepTimes.milliseconds(text) == Int((seconds * 1000).rounded(.down)), "\(text)")
        }
        #expect(Timestamp.folderStamp(Date()).count == 15)
    }
}
