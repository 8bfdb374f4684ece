import Foundation
import IncidentCore

/// Which network connections are still up, read from the OS without a shell: interfaces from
/// `getifaddrs` (up, running, not loopback, with an address), their carrier and kind from
/// `/sys/class/net`, and the default routes from the kernel's routing tables (`/proc/net`).
/// An interface's kind is `wifi` (a Wi-Fi adapter), `wired` (a physical wired adapter: the LAN
/// cable) or `other` (virtual, VPN, tunnel, bridge: switched off, not unplugged).
public struct NetworkProbe: Sendable {
    /// Where the kernel's files are (tests may point elsewhere).
    public var sysNet = "/sys/class/net"
    public var procNet = "/proc/net"

    public init() {}

    public func probe() -> NetworkReading {
        var byName: [String: NetworkReading.Interface] = [:]
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
                var interface = byName[name] ?? .init(name: name, kind: kind(of: name), addresses: [], defaultRoute: false)
                interface.addresses.append(text)
                byName[name] = interface
            }
        }
        let routes = defaultRouteInterfaces()
        let connected = byName.values.filter { hasCarrier($0.name) }.sorted { $0.name < $1.name }.map { interface in
            var interface = interface
            interface.defaultRoute = routes.contains(interface.name)
            return interface
        }
        // Every link that reads "no carrier" now (a cable pulled, the other end gone).
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sysNet)) ?? []
        return NetworkReading(connected: connected, defaultRoute: !routes.isEmpty,
                              carrierLost: Set(names.filter { $0 != "lo" && carrier($0) == "0" }))
    }

    static func describe(_ address: UnsafeMutablePointer<sockaddr>) -> String? {
        let family = Int32(address.pointee.sa_family)
        guard family == AF_INET || family == AF_INET6 else { return nil }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
        guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { return nil }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `carrier` reads `1` when a cable (or the other end of a virtual link) is there. When the
    /// file cannot be read (not Linux, or the driver does not say), `IFF_RUNNING` has to do.
    func hasCarrier(_ name: String) -> Bool { carrier(name) != "0" }

    private func carrier(_ name: String) -> String? {
        (try? String(contentsOfFile: "\(sysNet)/\(name)/carrier", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func kind(of name: String) -> String {
        let manager = FileManager.default
        if manager.fileExists(atPath: "\(sysNet)/\(name)/wireless") || manager.fileExists(atPath: "\(sysNet)/\(name)/phy80211") {
            return "wifi"
        }
        // A physical adapter has a `device` link to its bus; virtual ones (veth, bridges, VPNs) do not.
        if manager.fileExists(atPath: "\(sysNet)/\(name)/device") { return "wired" }
        return manager.fileExists(atPath: "\(sysNet)/\(name)") ? "other" : "wired"
    }

    /// The interfaces default routes leave through, IPv4 (`route`) and IPv6 (`ipv6_route`).
    func defaultRouteInterfaces() -> Set<String> {
        var names = Set<String>()
        if let table = try? String(contentsOfFile: "\(procNet)/route", encoding: .utf8) {
            for line in table.split(separator: "\n").dropFirst() {
                let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
                if fields.count > 7, fields[1] == "00000000", fields[7] == "00000000" { names.insert(String(fields[0])) }
            }
        }
        if let table = try? String(contentsOfFile: "\(procNet)/ipv6_route", encoding: .utf8) {
            for line in table.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count > 9, fields[0] == String(repeating: "0", count: 32), fields[1] == "00",
                   fields[9] != "lo" { names.insert(String(fields[9])) }
            }
        }
        return names
    }
}
