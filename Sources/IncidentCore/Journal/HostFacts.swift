/// Facts about the PC, captured at session start before any network step (so the addresses it
/// had are on record even after it is disconnected).
public struct HostFacts: Sendable, Equatable {
    public struct Interface: Sendable, Equatable {
        public var name: String
        public var mac: String?
        public var addresses: [String]

        public init(name: String, mac: String?, addresses: [String]) {
            self.name = name
            self.mac = mac
            self.addresses = addresses
        }
    }

    public var name: String
    public var os: String
    public var kernel: String
    public var user: String
    /// The account's full name (GECOS), when the system has one other than the login.
    public var fullName: String?
    /// IANA name and current offset, e.g. "Asia/Tokyo (+09:00)".
    public var timezone: String
    public var interfaces: [Interface]

    public init(name: String, os: String, kernel: String, user: String, timezone: String, interfaces: [Interface]) {
        self.name = name
        self.os = os
        self.kernel = kernel
        self.user = user
        self.timezone = timezone
        self.interfaces = interfaces
    }

    /// The person as the report names them: the full name with the login, or the login.
    public var person: String {
        guard let fullName, !fullName.isEmpty, fullName != user else { return user }
        return "\(fullName) (\(user))"
    }

    public var json: JSONValue {
        var members: [JSONValue.Member] = [
            .init("name", .string(name)), .init("os", .string(os)), .init("kernel", .string(kernel)), .init("user", .string(user)),
        ]
        if let fullName { members.append(.init("full_name", .string(fullName))) }
        members += [
            .init("timezone", .string(timezone)),
            .init("interfaces", .array(interfaces.map { interface in
                .object(["name": .string(interface.name), "mac": interface.mac.map(JSONValue.string) ?? .null,
                         "addresses": .array(interface.addresses.map(JSONValue.string))])
            })),
        ]
        return .object(members)
    }

    public init?(json: JSONValue) {
        guard let name = json["name"]?.string else { return nil }
        self.name = name
        os = json["os"]?.string ?? ""
        kernel = json["kernel"]?.string ?? ""
        user = json["user"]?.string ?? ""
        fullName = json["full_name"]?.string
        timezone = json["timezone"]?.string ?? ""
        interfaces = (json["interfaces"]?.array ?? []).compactMap { item in
            guard let name = item["name"]?.string else { return nil }
            return Interface(name: name, mac: item["mac"]?.string,
                             addresses: (item["addresses"]?.array ?? []).compactMap(\.string))
        }
    }
}
