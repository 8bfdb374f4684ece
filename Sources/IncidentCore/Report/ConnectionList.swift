/// The remote ends of the connections in `ss -tunap` or `netstat -an` output: the second
/// `address:port` of each line, leaving out listening sockets, wildcards and loopback.
public enum ConnectionList {
    public static func remoteAddresses(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let tokens = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard !tokens.contains(where: { $0 == "LISTEN" || $0 == "UNCONN" }) else { continue }
            let endpoints = tokens.filter(isEndpoint)
            guard endpoints.count >= 2 else { continue }
            let remote = endpoints[1]
            let host = hostPart(remote)
            if host.hasPrefix("127.") || host == "::1" || host == "0.0.0.0" || host == "::" || host == "*" || remote.hasSuffix(":*") { continue }
            out.append(remote)
        }
        return MailIndicators.unique(out)
    }

    /// `1.2.3.4:443`, `[2001:db8::1]:443`, `1.2.3.4.443` (BSD netstat) — an address and a port.
    static func isEndpoint(_ token: String) -> Bool {
        if token.hasPrefix("["), token.contains("]:") { return true }
        guard let colon = token.lastIndex(of: ":") else { return false }
        let host = token[..<colon], port = token[token.index(after: colon)...]
        guard port == "*" || (!port.isEmpty && port.allSatisfy(\.isNumber)) else { return false }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) { return true }
        return host == "*" || (host.contains(":") && host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "%" || $0.isLetter })
    }

    static func hostPart(_ endpoint: String) -> String {
        if endpoint.hasPrefix("["), let close = endpoint.firstIndex(of: "]") { return String(endpoint[endpoint.index(after: endpoint.startIndex)..<close]) }
        guard let colon = endpoint.lastIndex(of: ":") else { return endpoint }
        return String(endpoint[..<colon])
    }
}
