import Foundation
import IncidentCore

/// Reads the host facts from the OS (no shell commands): host name, OS release, kernel, user,
/// time zone, and every interface with its MAC and addresses.
public enum HostProbe {
    public static func facts(now: Date = Date()) -> HostFacts {
        var facts = HostFacts(name: SystemFacts.hostName, os: operatingSystemName(), kernel: kernelRelease(), user: SystemFacts.userName,
                              timezone: timeZone(now: now), interfaces: interfaces())
        let person = SystemFacts.personName(login: facts.user)
        if person != facts.user { facts.fullName = person }
        return facts
    }

    static func operatingSystemName() -> String {
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            for line in release.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                return String(line.dropFirst("PRETTY_NAME=".count)).trimming { $0 == "\"" }
            }
        }
        return ProcessInfo.processInfo.operatingSystemVersionString
    }

    static func kernelRelease() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "" }
        let sysname = withUnsafeBytes(of: &name.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "\(sysname) \(release)"
    }

    /// `Asia/Tokyo (+09:00)`: the zone's name from `TZ` or the `/etc/localtime` link (else
    /// `/etc/timezone`), the offset from `localtime_r` — no ICU time zone database at start.
    static func timeZone(now: Date) -> String {
        let (local, _) = Timestamp.parts(now)
        let seconds = Int(local.tm_gmtoff)
        let sign = seconds < 0 ? "-" : "+"
        let offset = "\(sign)\(Timestamp.pad(abs(seconds) / 3600)):\(Timestamp.pad(abs(seconds) % 3600 / 60))"
        return "\(zoneName() ?? (local.tm_zone.map { String(cString: $0) } ?? "local")) (\(offset))"
    }

    static func zoneName() -> String? {
        if var name = SystemFacts.environment["TZ"], !name.isEmpty {
            if name.hasPrefix(":") { name.removeFirst() }
            if let range = name.range(of: "zoneinfo/") { return String(name[range.upperBound...]) }
            return name
        }
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/localtime"),
           let range = target.range(of: "zoneinfo/") {
            return String(target[range.upperBound...])
        }
        if let text = try? String(contentsOfFile: "/etc/timezone", encoding: .utf8) {
            let name = text.trimmed
            if !name.isEmpty { return name }
        }
        return nil
    }

    /// Every interface (loopback and down ones included: the consultant wants the whole picture).
    static func interfaces() -> [HostFacts.Interface] {
        var order: [String] = []
        var addresses: [String: [String]] = [:]
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let name = String(cString: entry.pointee.ifa_name)
            if !order.contains(name) { order.append(name) }
            guard let address = entry.pointee.ifa_addr else { continue }
            if let text = NetworkProbe.describe(address) { addresses[name, default: []].append(text) }
        }
        return order.map { HostFacts.Interface(name: $0, mac: macAddress($0), addresses: addresses[$0] ?? []) }
    }

    /// The hardware address as the kernel reports it in sysfs (nil where there is none).
    static func macAddress(_ interface: String) -> String? {
        guard !interface.contains("/"),
              let text = try? String(contentsOfFile: "/sys/class/net/\(interface)/address", encoding: .utf8) else { return nil }
        let mac = text.trimmed
        return mac.isEmpty || mac == "00:00:00:00:00:00" ? nil : mac
    }
}
