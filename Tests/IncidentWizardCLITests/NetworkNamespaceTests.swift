import Foundation
import IncidentCore
import Testing

/// The network step against real interfaces: each test builds its own network namespaces (root
/// only — CI runs as root), runs the real binary inside one with `ip netns exec`, and deletes them.
@Suite(.serialized, .enabled(if: NetworkNamespaces.available, "needs root and iproute2 (ip netns)"))
struct NetworkNamespaceTests {
    static func playbook(disconnectCommand: [String]? = nil) -> String {
        var step = "  - {id: net, type: network, title: Disconnect the PC}\n"
        if let command = disconnectCommand {
            let argv = command.map { "\"\($0)\"" }.joined(separator: ", ")
            step = "  - {id: net, type: network, title: Disconnect the PC, action: disconnect, disconnect_command: [\(argv)]}\n"
        }
        return """
            playbook: 1
            id: network-test
            title: Network test
            languages: [en]
            steps:
            \(step)  - {id: done, type: end, title: All done}

            """
    }

    /// Runs the playbook in plain mode inside `namespace` and returns stdout and report.json.
    func run(_ playbook: String, in namespace: String, input: String) throws -> (stdout: String, report: JSONValue) {
        let directory = try Wizard.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("network-test.yaml")
        try playbook.write(to: file, atomically: true, encoding: .utf8)
        let reports = directory.appendingPathComponent("reports")
        let result = try Wizard.run(["run", file.path, "--plain", "--reports", reports.path], input: input,
                                    through: [NetworkNamespaces.ip, "netns", "exec", namespace])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let data = try Data(contentsOf: try Wizard.reportFolder(reports).appendingPathComponent("report.json"))
        return (result.stdout, try #require(JSONValue.parse(data)))
    }

    @Test func onlyLoopbackIsDisconnected() throws {
        try NetworkNamespaces.with(veth: false) { inside in
            let (stdout, report) = try run(Self.playbook(), in: inside, input: "\n\n")
            #expect(stdout.contains("The PC is disconnected from the network."))
            let network = try #require(report["network"]?.array?.first)
            #expect(network["disconnected"]?.bool == true)
            #expect(network["interfaces_before"]?.array == [])
        }
    }

    @Test func aVethWithAnAddressAndDefaultRouteIsConnectedAndNamed() throws {
        try NetworkNamespaces.with(veth: true) { inside in
            // "2" = I can't disconnect: recorded as not-done.
            let (stdout, report) = try run(Self.playbook(), in: inside, input: "2\n\n")
            #expect(stdout.contains("Still connected:"))
            #expect(stdout.contains("The network connection \(NetworkNamespaces.veth) is still on (\(NetworkNamespaces.address)"))
            let network = try #require(report["network"]?.array?.first)
            #expect(network["disconnected"]?.bool == false)
            #expect(network["method"]?.string == "not-done")
            #expect(network["interfaces_before"]?.array == [.string(NetworkNamespaces.veth)])
        }
    }

    @Test func checkingAgainSeesTheVethGoDown() throws {
        try NetworkNamespaces.with(veth: true) { inside in
            let directory = try Wizard.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            // The other end of the pair going away takes the carrier with it, as a pulled cable does.
            let playbook = Self.playbook()
            let file = directory.appendingPathComponent("network-test.yaml")
            try playbook.write(to: file, atomically: true, encoding: .utf8)
            let reports = directory.appendingPathComponent("reports")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: NetworkNamespaces.ip)
            process.arguments = ["netns", "exec", inside, Wizard.binary, "run", file.path, "--plain", "--reports", reports.path]
            let stdin = Pipe(), stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            var environment = ProcessInfo.processInfo.environment
            environment["LANG"] = "C.UTF-8"
            process.environment = environment
            try process.run()
            let reader = LineReader(stdout.fileHandleForReading)
            try reader.waitFor("1 = check again")
            try Wizard.shell([NetworkNamespaces.ip, "-n", NetworkNamespaces.peerNamespace(of: inside), "link", "set",
                              NetworkNamespaces.peer, "down"])
            _ = Wizard.ignoreSIGPIPE
            try? stdin.fileHandleForWriting.write(contentsOf: Data("1\n".utf8))
            try reader.waitFor("The PC is disconnected from the network.")
            _ = Wizard.ignoreSIGPIPE
            try? stdin.fileHandleForWriting.write(contentsOf: Data("\n\n".utf8))
            try stdin.fileHandleForWriting.close()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let report = try #require(JSONValue.parse(try Data(contentsOf: try Wizard.reportFolder(reports).appendingPathComponent("report.json"))))
            let network = try #require(report["network"]?.array?.first)
            #expect(network["disconnected"]?.bool == true)
            // The link lost its carrier while the screen was shown: a pulled cable, said so.
            #expect(network["method"]?.string == "cable")
            #expect(network["interfaces_before"]?.array == [.string(NetworkNamespaces.veth)])
            #expect(network["interfaces_after"]?.array == [])
        }
    }

    @Test func disconnectActionRunsTheCommandThenVerifies() throws {
        try NetworkNamespaces.with(veth: true) { inside in
            let command = [NetworkNamespaces.ip, "link", "set", NetworkNamespaces.veth, "down"]
            let (stdout, report) = try run(Self.playbook(disconnectCommand: command), in: inside, input: "\n\n")
            #expect(stdout.contains("The PC is disconnected from the network."))
            let network = try #require(report["network"]?.array?.first)
            #expect(network["disconnected"]?.bool == true)
            #expect(network["method"]?.string == "command")
            #expect(network["interfaces_before"]?.array == [.string(NetworkNamespaces.veth)])
            #expect(network["interfaces_after"]?.array == [])
            #expect(network["checked_at"]?.string?.isEmpty == false)
        }
    }
}

/// Creating and deleting throw-away network namespaces with `ip`.
enum NetworkNamespaces {
    static let ip = Wizard.which("ip") ?? "/usr/sbin/ip"
    static let available = getuid() == 0 && Wizard.which("ip") != nil
    static let veth = "iwveth0"
    static let peer = "iwveth1"
    static let address = "10.213.0.2"

    static func peerNamespace(of inside: String) -> String { inside + "-peer" }

    /// A namespace with loopback only, or also a veth pair (its peer in a second namespace) with
    /// an address and a default route. Both are deleted afterwards, whatever happens.
    static func with(veth: Bool, _ body: (String) throws -> Void) throws {
        let inside = "iwtest-\(getpid())-\(UInt32.random(in: 0..<1_000_000))"
        let outside = peerNamespace(of: inside)
        defer {
            _ = try? Wizard.shell([ip, "netns", "del", inside])
            if veth { _ = try? Wizard.shell([ip, "netns", "del", outside]) }
        }
        try Wizard.shell([ip, "netns", "add", inside])
        try Wizard.shell([ip, "-n", inside, "link", "set", "lo", "up"])
        if veth {
            try Wizard.shell([ip, "netns", "add", outside])
            try Wizard.shell([ip, "link", "add", self.veth, "netns", inside, "type", "veth", "peer", "name", peer, "netns", outside])
            try Wizard.shell([ip, "-n", inside, "addr", "add", "\(address)/24", "dev", self.veth])
            try Wizard.shell([ip, "-n", outside, "addr", "add", "10.213.0.1/24", "dev", peer])
            try Wizard.shell([ip, "-n", inside, "link", "set", self.veth, "up"])
            try Wizard.shell([ip, "-n", outside, "link", "set", peer, "up"])
            try Wizard.shell([ip, "-n", inside, "route", "add", "default", "via", "10.213.0.1"])
        }
        try body(inside)
    }
}

/// Reads a child's output as it comes, so a test can wait for a prompt (with a deadline).
final class LineReader: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                lock.withLock { text += String(decoding: data, as: UTF8.self) }
            }
            done.signal()
        }.start()
    }

    var output: String { lock.withLock { text } }

    /// Polls until `needle` has been printed, or fails after `seconds`.
    func waitFor(_ needle: String, seconds: Double = 15) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if output.contains(needle) { return }
            usleep(20_000)
        }
        throw Wizard.CommandFailed(description: "'\(needle)' did not appear within \(seconds) s; output:\n\(output)")
    }
}
