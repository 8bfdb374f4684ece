import Foundation
import Testing
@testable import IncidentCore

/// JPCERT/CC EmoCheck output, as carried over on a USB stick: JSON (sometimes not valid JSON, as
/// EmoCheck escapes only backslashes) and the text report.
@Suite struct EmoCheckTests {
    @Test func validJSON() throws {
        let text = #"""
            {
              "scan_time":"2026-12-02 15:20:11",
              "hostname":"PC-01",
              "emocheck_version":"2.0",
              "is_infected":"yes",
              "emotet_processes":[
                {
                   "process_name":"mstask.exe",
                   "process_id":"716",
                   "image_path":"C:\\Users\\hanako\\AppData\\Local\\mstask.exe",
                   "registry_key":"HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\mstask"
                }
              ]
            }
            """#
        let result = try #require(EmoCheckResult.parse(Data(text.utf8), name: "PC-01_20261202152011_emocheck.json"))
        #expect(result.infected == true && result.hostname == "PC-01" && result.version == "2.0")
        #expect(result.scanTime == "2026-12-02 15:20:11")
        #expect(result.processes == [.init(name: "mstask.exe", id: "716", imagePath: #"C:\Users\hanako\AppData\Local\mstask.exe"#,
                                           registryKey: #"HKCU\Software\Microsoft\Windows\CurrentVersion\Run\mstask"#)])
        #expect(EmoCheckResult(json: result.json) == result, "round trip through the journal")
    }

    @Test func handBuiltJSONWithAQuoteInAPathIsReadFieldByField() throws {
        let text = #"""
            {
              "scan_time":"2026-12-02 15:20:11",
              "hostname":"PC-01",
              "emocheck_version":"2.0",
              "is_infected":"yes",
              "emotet_processes":[
                {
                   "process_name":"mstask.exe",
                   "process_id":"716",
                   "image_path":"C:\\Users\\o"brien\\AppData\\mstask.exe",
                   "registry_key":"HKCU\\Run\\mstask"
                }
              ]
            }
            """#
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) == nil, "the fixture really is invalid JSON")
        let result = try #require(EmoCheckResult.parse(Data(text.utf8), name: "PC-01_20261202152011_emocheck.json"))
        #expect(result.infected == true)
        #expect(result.processes.first?.imagePath == #"C:\Users\o"brien\AppData\mstask.exe"#)
        #expect(result.processes.first?.registryKey == #"HKCU\Run\mstask"#)
    }

    @Test func notInfected() throws {
        let json = #"{"scan_time":"2026-12-02 15:20:11","hostname":"PC-01","emocheck_version":"2.0","is_infected":"no","emotet_processes":[]}"#
        #expect(EmoCheckResult.parse(Data(json.utf8), name: "X_emocheck.json")?.infected == false)
        let text = "[Emocheck v2.0]\nScan time: 2026-12-02 15:20:11\n____\n\n[Result]\nEmotet was not detected.\n"
        let result = try #require(EmoCheckResult.parse(Data(text.utf8), name: "X_emocheck.txt"))
        #expect(result.infected == false && result.version == "2.0" && result.processes.isEmpty)
    }

    @Test func theTextReport() throws {
        let text = """
            [Emocheck v2.0]
            Scan time: 2026-12-02 15:20:11
            ____________________________________________________

            [Result]
            Detected Emotet process.

            [Emotet Process]
                 Process Name  : mstask.exe
                 Process ID    : 716
                 Image Path    : C:\\Users\\hanako\\AppData\\Local\\mstask.exe
            ____________________________________________________

            Please remove or isolate the suspicious execution file.
            """
        let result = try #require(EmoCheckResult.parse(Data(text.utf8), name: "PC-01_20261202152011_emocheck.txt"))
        #expect(result.infected == true && result.scanTime == "2026-12-02 15:20:11")
        #expect(result.processes == [.init(name: "mstask.exe", id: "716", imagePath: #"C:\Users\hanako\AppData\Local\mstask.exe"#)])
    }

    @Test func otherFilesAreNotEmoCheck() {
        #expect(!EmoCheckResult.isEmoCheckFile("invoice.json"))
        #expect(EmoCheckResult.isEmoCheckFile("PC-01_20261202152011_EmoCheck.TXT"))
        #expect(EmoCheckResult.parse(Data("hello\n".utf8), name: "a_emocheck.txt") == nil)
        #expect(EmoCheckResult.parse(Data([0xFF, 0xFE, 0x00]), name: "a_emocheck.json") == nil)
    }
}

/// The remote ends of collected connection lists, for the consultant's indicators.
@Suite struct ConnectionListTests {
    @Test func ssAndNetstatOutput() {
        let ss = """
            Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
            tcp   ESTAB  0      0      192.168.1.5:51234   203.0.113.80:443  users:(("excel.exe",pid=7,fd=3))
            tcp   LISTEN 0      128          0.0.0.0:22         0.0.0.0:*
            udp   ESTAB  0      0          127.0.0.1:53900    127.0.0.1:33490
            tcp   ESTAB  0      0      [2001:db8::5]:40000 [2001:db8::80]:8080
            tcp   ESTAB  0      0      192.168.1.5:51235   203.0.113.80:443
            """
        #expect(ConnectionList.remoteAddresses(ss) == ["203.0.113.80:443", "[2001:db8::80]:8080"])
        let netstat = """
            Proto Recv-Q Send-Q Local Address           Foreign Address         State
            tcp        0      0 192.168.1.5:51234       198.51.100.9:8080       ESTABLISHED
            tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN
            """
        #expect(ConnectionList.remoteAddresses(netstat) == ["198.51.100.9:8080"])
    }
}
