import Foundation

/// Which network connections are still up, read from the OS: interfaces from `getifaddrs` (up,
/// running, not loopback, with an address) and the default route from the kernel's routing table.
public struct NetworkProbe: Sendable {
    public struct Interface: Sendable, Equatable {
        public var name: String
        public var addresses: [String]
        public var isWireless: Bool

        public init(name: String, addresses: [String], isWireless: Bool) {
            self.name = name
            self.addresses = addresses
            self.isWireless = isWireless
        }
    }

    public struct Status: Sendable, Equatable {
        /// Interfaces that can still carry traffic.
        public var connected: [Interface]
        /// Whether a default route exists (IPv4 or IPv6).
        public var hasDefaultRoute: Bool

        public var isDisconnected: Bool { connected.isEmpty }

        public init(connected: [Interface], hasDefaultRoute: Bool) {
            self.connected = connected
            self.hasDefaultRoute = hasDefaultRoute
        }
    }

    public init() {}

    public func probe() -> Status {
        var byName: [String: Interface] = [:]
        var list: UnsafeMutablePointer<ifaddrs>?
        if getifaddrs(&list) == 0, let first = list {
            defer { freeifaddrs(list) }
            var cursor: UnsafeMutablePointer<ifaddrs>? = first
            while let entry = cursor {
                defer { cursor = entry.pointee.ifa_next }
                let flags = Int32(entry.pointee.ifa_flags)
                let name = String(cString: entry.pointee.ifa_name)
                guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_RUNNING) != 0, flags & Int32(IFF_LOOPBACK) == 0,
                      let address = entry.pointee.ifa_addr, let text = Self.describe(address) else { continue }
                var interface = byName[name] ?? Interface(name: name, addresses: [], isWireless: Self.isWireless(name))
                interface.addresses.append(text)
                byName[name] = interface
            }
        }
        return Status(connected: byName.values.sorted { $0.name < $1.name }, hasDefaultRoute: Self.hasDefaultRoute())
    }

    static func describe(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        let family = Int32(address.pointee.sa_family)
        guard family == AF_INET || family == AF_INET6 else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
        guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { return nil }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func isWireless(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "/sys/class/net/\(name)/wireless")
    }

    static func hasDefaultRoute() -> Bool {
        if let table = try? String(contentsOfFile: "/proc/net/route", encoding: .utf8) {
            for line in table.split(separator: "\n").dropFirst() {
                let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
                if fields.count > 2, fields[1] == "00000000" { return true }
            }
        }
        if let table = try? String(contentsOfFile: "/proc/net/ipv6_route", encoding: .utf8) {
            for line in table.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count > 9, fields[0] == String(repeating: "0", count: 32), fields[1] == "00",
                   fields[9] != "lo" { return true }
            }
        }
        return false
    }
}
