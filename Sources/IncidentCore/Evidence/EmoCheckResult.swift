import Foundation

/// JPCERT/CC's EmoCheck result, carried over from a Windows PC on a USB stick and attached as
/// evidence: `<HOST>_<yyyymmddhhmmss>_emocheck.json` (`/json`) or `…_emocheck.txt`. Parsed
/// tolerantly: EmoCheck writes its JSON by hand, escaping only backslashes, so a path with a quote
/// makes it invalid JSON — the fields are then read one by one; its text report may be English or
/// Japanese. Never more than the file says: a field it does not have stays nil.
public struct EmoCheckResult: Sendable, Equatable {
    public struct Process: Sendable, Equatable {
        public var name: String?
        public var id: String?
        public var imagePath: String?
        public var registryKey: String?
    }

    public var scanTime: String?
    public var hostname: String?
    public var version: String?
    /// `true` detected, `false` not detected, nil when the file does not say.
    public var infected: Bool?
    public var processes: [Process] = []

    /// Whether a file's name marks it as EmoCheck output (`_emocheck.json`, or as the evidence
    /// folder stores it, `-emocheck.json`).
    public static func isEmoCheckFile(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["_", "-"].contains { lower.hasSuffix($0 + "emocheck.json") || lower.hasSuffix($0 + "emocheck.txt") }
    }

    /// The result in `data`, or nil when nothing in it looks like EmoCheck's.
    public static func parse(_ data: Data, name: String) -> EmoCheckResult? {
        let text = String(decoding: data.prefix(1 << 20), as: UTF8.self)
        let result = name.lowercased().hasSuffix(".json") ? json(text) : report(text)
        guard let result, result.infected != nil || result.scanTime != nil || !result.processes.isEmpty else { return nil }
        return result
    }

    // MARK: JSON (`/json`)

    static func json(_ text: String) -> EmoCheckResult? {
        if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
            var result = EmoCheckResult(scanTime: object["scan_time"] as? String, hostname: object["hostname"] as? String,
                                        version: object["emocheck_version"] as? String,
                                        infected: (object["is_infected"] as? String).map { $0.lowercased() == "yes" })
            for process in object["emotet_processes"] as? [[String: Any]] ?? [] {
                result.processes.append(Process(name: process["process_name"] as? String, id: (process["process_id"] as? String) ?? (process["process_id"] as? Int).map(String.init),
                                                imagePath: process["image_path"] as? String, registryKey: process["registry_key"] as? String))
            }
            return result
        }
        // Not valid JSON (an unescaped quote in a path): the fields one by one, in order.
        let fields = looseFields(text)
        var result = EmoCheckResult()
        var current: Process?
        for (key, value) in fields {
            switch key {
            case "scan_time": result.scanTime = value
            case "hostname": result.hostname = value
            case "emocheck_version": result.version = value
            case "is_infected": result.infected = value.lowercased() == "yes"
            case "process_name":
                if let current { result.processes.append(current) }
                current = Process(name: value)
            case "process_id": current?.id = value
            case "image_path": current?.imagePath = value
            case "registry_key": current?.registryKey = value
            default: break
            }
        }
        if let current { result.processes.append(current) }
        return result
    }

    /// `"key":"value"` pairs as EmoCheck writes them: a value runs to the first quote that is
    /// followed by `,` `}` `]` or the line's end — so a quote inside a path stays in it.
    static func looseFields(_ text: String) -> [(String, String)] {
        var out: [(String, String)] = []
        for line in text.split(whereSeparator: \.isNewline) {
            var rest = Substring(line)
            while let keyStart = rest.firstIndex(of: "\"") {
                let afterKey = rest[rest.index(after: keyStart)...]
                guard let keyEnd = afterKey.firstIndex(of: "\"") else { break }
                let key = String(afterKey[..<keyEnd])
                var tail = afterKey[afterKey.index(after: keyEnd)...].drop { $0 == " " }
                guard tail.first == ":" else { rest = tail; continue }
                tail = tail.dropFirst().drop { $0 == " " }
                guard tail.first == "\"" else { rest = tail; continue }
                let value = tail.dropFirst()
                var end = value.endIndex
                var index = value.startIndex
                while index < value.endIndex {
                    if value[index] == "\"" {
                        let next = value[value.index(after: index)...].drop { $0 == " " }
                        if next.isEmpty || ",}]".contains(next.first!) { end = index; break }
                    }
                    index = value.index(after: index)
                }
                guard end < value.endIndex else { break }
                out.append((key, String(value[..<end]).replacingOccurrences(of: "\\\\", with: "\\")))
                rest = value[value.index(after: end)...]
            }
        }
        return out
    }

    // MARK: Text report

    static func report(_ text: String) -> EmoCheckResult? {
        var result = EmoCheckResult()
        var current: Process?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[Emocheck v") || line.hasPrefix("[EmoCheck v") {
                result.version = String(line.dropFirst("[Emocheck v".count).prefix { $0 != "]" })
                continue
            }
            let lower = line.lowercased()
            if lower.contains("detected emotet") || line.contains("Emotetのプロセスを検知") || line.contains("検出しました") {
                result.infected = true
            } else if lower.contains("not detected") || line.contains("検知しませんでした") || line.contains("検出されませんでした") {
                result.infected = result.infected ?? false
            }
            guard let colon = line.firstIndex(where: { $0 == ":" || $0 == "：" }) else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "scan time", "スキャン時刻", "スキャン日時": result.scanTime = value
            case "process name", "プロセス名":
                if let current { result.processes.append(current) }
                current = Process(name: value)
            case "process id", "プロセスid": current?.id = value
            case "image path", "イメージパス", "ファイルパス": current?.imagePath = value
            case "registry key", "レジストリキー", "レジストリ": current?.registryKey = value
            default: break
            }
        }
        if let current { result.processes.append(current) }
        if !result.processes.isEmpty { result.infected = true }
        return result
    }

    // MARK: JSON for the journal and report.json

    public var json: JSONValue {
        let string = { (value: String?) in value.map(JSONValue.string) ?? .null }
        return .object([
            "scan_time": string(scanTime), "hostname": string(hostname), "version": string(version),
            "infected": infected.map(JSONValue.bool) ?? .null,
            "processes": .array(processes.map { process in
                .object(["name": string(process.name), "id": string(process.id), "image_path": string(process.imagePath),
                         "registry_key": string(process.registryKey)])
            }),
        ])
    }

    public init(scanTime: String? = nil, hostname: String? = nil, version: String? = nil, infected: Bool? = nil,
                processes: [Process] = []) {
        self.scanTime = scanTime
        self.hostname = hostname
        self.version = version
        self.infected = infected
        self.processes = processes
    }

    public init?(json: JSONValue) {
        guard case .object = json else { return nil }
        self.init(scanTime: json["scan_time"]?.string, hostname: json["hostname"]?.string, version: json["version"]?.string,
                  infected: json["infected"]?.bool,
                  processes: (json["processes"]?.array ?? []).map {
                      Process(name: $0["name"]?.string, id: $0["id"]?.string, imagePath: $0["image_path"]?.string,
                              registryKey: $0["registry_key"]?.string)
                  })
    }
}
