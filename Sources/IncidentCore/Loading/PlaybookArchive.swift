/// A checked playbook (and the shared contacts it was checked with) as compact bytes, and back:
/// what the run cache stores so that a playbook whose bytes have not changed is not parsed and
/// checked again before its first screen. Pure; the cache's file, key and trust rules are the
/// edges' (`PlaybookCache`). Decoding never trusts its input: every length and tag is checked,
/// and anything unexpected throws (the caller then checks the playbook from its file).
public enum PlaybookArchive {
    /// Bumped whenever the encoding or the model changes (it is also part of the cache key).
    public static let format: UInt8 = 3

    public struct Malformed: Error, Sendable {}

    public static func encode(_ playbook: Playbook, shared: [String: Contact]?) -> [UInt8] {
        var writer = Writer()
        writer.byte(format)
        writer.playbook(playbook)
        writer.optional(shared) { $0.contacts($1) }
        return writer.bytes
    }

    /// The id of the playbook an archive holds, read from its head (format, path, id) without
    /// decoding the rest; nil if the head is not one. (`run ID` needs every playbook's id but
    /// only one playbook.)
    public static func id(of bytes: [UInt8]) -> String? {
        var reader = Reader(bytes)
        guard (try? reader.byte()) == format, (try? reader.string()) != nil else { return nil }
        return try? reader.string()
    }

    public static func decode(_ bytes: [UInt8]) throws -> (playbook: Playbook, shared: [String: Contact]?) {
        var reader = Reader(bytes)
        guard try reader.byte() == format else { throw Malformed() }
        let playbook = try reader.playbook()
        let shared = try reader.optional { try $0.contacts() }
        guard reader.atEnd else { throw Malformed() }
        return (playbook, shared)
    }
}

// MARK: - Writing

private struct Writer {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// LEB128 of the zigzag form, so small negative numbers stay small.
    mutating func int(_ value: Int) {
        var rest = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
        repeat {
            let low = UInt8(rest & 0x7f)
            rest >>= 7
            bytes.append(rest == 0 ? low : low | 0x80)
        } while rest != 0
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optional<T>(_ value: T?, _ write: (inout Writer, T) -> Void) {
        if let value {
            byte(1)
            write(&self, value)
        } else {
            byte(0)
        }
    }

    mutating func array<T>(_ values: [T], _ write: (inout Writer, T) -> Void) {
        int(values.count)
        for value in values { write(&self, value) }
    }

    mutating func location(_ value: SourceLocation) {
        int(value.line)
        int(value.column)
    }

    mutating func located(_ value: Located<String>) {
        string(value.value)
        location(value.location)
    }

    mutating func stringMap(_ map: [String: String]) {
        int(map.count)
        for key in map.keys.sorted() {
            string(key)
            string(map[key]!)
        }
    }

    mutating func locationMap(_ map: [String: SourceLocation]) {
        int(map.count)
        for key in map.keys.sorted() {
            string(key)
            location(map[key]!)
        }
    }

    mutating func text(_ value: LocalizedText) {
        stringMap(value.variants)
        locationMap(value.variantLocations)
        locationMap(value.languageLocations)
        location(value.location)
    }

    mutating func target(_ value: Located<FlowTarget>) {
        switch value.value {
        case .end: byte(0)
        case .step(let id):
            byte(1)
            string(id)
        }
        location(value.location)
    }

    mutating func command(_ value: CommandSpec) {
        int(value.argvByOS.count)
        for os in value.argvByOS.keys.sorted() {
            string(os)
            array(value.argvByOS[os]!) { $0.located($1) }
        }
        location(value.location)
    }

    mutating func condition(_ value: Condition) {
        switch value {
        case .equals(let step, let value):
            byte(0)
            located(step)
            located(value)
        case .oneOf(let step, let values):
            byte(1)
            located(step)
            array(values) { $0.located($1) }
        case .notEquals(let step, let value):
            byte(2)
            located(step)
            located(value)
        case .all(let conditions):
            byte(3)
            array(conditions) { $0.condition($1) }
        case .any(let conditions):
            byte(4)
            array(conditions) { $0.condition($1) }
        }
    }

    mutating func contact(_ value: Contact) {
        string(value.id)
        text(value.name)
        optional(value.role) { $0.text($1) }
        optional(value.phone) { $0.string($1) }
        optional(value.email) { $0.string($1) }
        optional(value.url) { $0.string($1) }
        optional(value.hours) { $0.text($1) }
        optional(value.note) { $0.text($1) }
        optional(value.verified) { writer, day in
            writer.int(day.value.year)
            writer.int(day.value.month)
            writer.int(day.value.day)
            writer.location(day.location)
        }
        bool(value.verifiedUnreadable)
        string(value.path)
        location(value.location)
    }

    mutating func contacts(_ map: [String: Contact]) {
        int(map.count)
        for key in map.keys.sorted() {
            string(key)
            contact(map[key]!)
        }
    }

    mutating func playbook(_ value: Playbook) {
        string(value.path)
        located(value.id)
        optional(value.revision) { $0.string($1) }
        text(value.title)
        optional(value.summary) { $0.text($1) }
        string(value.audience.rawValue)
        array(value.languages) { $0.located($1) }
        contacts(value.contacts)
        optional(value.start) { $0.located($1) }
        array(value.steps) { $0.step($1) }
        array(value.deadlines) { $0.deadline($1) }
        array(value.documents) { $0.document($1) }
    }

    mutating func deadline(_ value: Deadline) {
        located(value.id)
        text(value.title)
        int(value.after.value.amount)
        string(value.after.value.unit.rawValue)
        location(value.after.location)
        optional(value.when) { $0.condition($1) }
        optional(value.note) { $0.text($1) }
        optional(value.url) { $0.string($1) }
        location(value.location)
    }

    mutating func document(_ value: DocumentTemplate) {
        located(value.id)
        text(value.title)
        string(value.audience.rawValue)
        optional(value.when) { $0.condition($1) }
        text(value.body)
        location(value.location)
    }

    mutating func step(_ value: Step) {
        located(value.id)
        text(value.title)
        optional(value.text) { $0.text($1) }
        optional(value.help) { $0.text($1) }
        bool(value.critical)
        optional(value.when) { $0.condition($1) }
        optional(value.next) { $0.target($1) }
        location(value.location)
        kind(value.kind)
    }

    mutating func kind(_ value: StepKind) {
        switch value {
        case .info:
            byte(0)
        case .confirm(let spec):
            byte(1)
            optional(spec.yesNext) { $0.target($1) }
            optional(spec.noNext) { $0.target($1) }
            bool(spec.unsure)
            optional(spec.unsureNext) { $0.target($1) }
        case .choice(let options):
            byte(2)
            array(options) { writer, option in
                writer.located(option.value)
                writer.text(option.label)
                writer.optional(option.next) { $0.target($1) }
            }
        case .checklist(let items, let require):
            byte(3)
            array(items) { writer, item in
                writer.located(item.value)
                writer.text(item.label)
            }
            string(require.rawValue)
        case .input(let fields):
            byte(4)
            array(fields) { writer, field in
                writer.located(field.id)
                writer.text(field.label)
                writer.bool(field.required)
                writer.bool(field.multiline)
                writer.int(field.maxLength)
            }
        case .network(let spec):
            byte(5)
            string(spec.action.rawValue)
            optional(spec.disconnectCommand) { $0.command($1) }
        case .evidence(let attach):
            byte(6)
            string(attach.rawValue)
        case .scan(let spec):
            byte(7)
            command(spec.command)
            int(spec.timeoutSeconds)
            int(spec.verdicts.count)
            for code in spec.verdicts.keys.sorted() {
                int(code)
                string(spec.verdicts[code]!.rawValue)
            }
            int(spec.nextOn.count)
            for verdict in spec.nextOn.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
                string(verdict.rawValue)
                target(spec.nextOn[verdict]!)
            }
        case .collect(let commands):
            byte(8)
            array(commands) { writer, command in
                writer.located(command.name)
                writer.command(command.command)
                writer.int(command.timeoutSeconds)
            }
        case .notify(let spec):
            byte(9)
            located(spec.contact)
            array(spec.fallback) { $0.located($1) }
            optional(spec.script) { $0.text($1) }
            optional(spec.emailText) { $0.text($1) }
            optional(spec.emailScript) { $0.text($1) }
        case .end(let outcome):
            byte(10)
            string(outcome)
        }
    }
}

// MARK: - Reading

private struct Reader {
    let bytes: [UInt8]
    var index = 0
    /// Conditions nest; a hostile file must not recurse without end.
    var depth = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func byte() throws -> UInt8 {
        guard index < bytes.count else { throw PlaybookArchive.Malformed() }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw PlaybookArchive.Malformed()
        }
    }

    mutating func int() throws -> Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw PlaybookArchive.Malformed() }
            result |= UInt64(next & 0x7f) << shift
            if next & 0x80 == 0 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1))
    }

    /// An integer the loader only ever accepts as positive (lengths, timeouts).
    mutating func positive() throws -> Int {
        let value = try int()
        guard value > 0 else { throw PlaybookArchive.Malformed() }
        return value
    }

    mutating func count() throws -> Int {
        let value = try int()
        guard value >= 0, value <= bytes.count - index else { throw PlaybookArchive.Malformed() }
        return value
    }

    mutating func string() throws -> String {
        let length = try count()
        defer { index += length }
        return String(decoding: bytes[index..<(index + length)], as: UTF8.self)
    }

    mutating func optional<T>(_ read: (inout Reader) throws -> T) throws -> T? {
        switch try byte() {
        case 0: return nil
        case 1: return try read(&self)
        default: throw PlaybookArchive.Malformed()
        }
    }

    mutating func array<T>(_ read: (inout Reader) throws -> T) throws -> [T] {
        let length = try count()
        var values: [T] = []
        values.reserveCapacity(min(length, 256))  // a hostile count must not reserve gigabytes
        for _ in 0..<length { values.append(try read(&self)) }
        return values
    }

    mutating func raw<T: RawRepresentable>(_: T.Type) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try string()) else { throw PlaybookArchive.Malformed() }
        return value
    }

    mutating func location() throws -> SourceLocation {
        SourceLocation(line: try positive(), column: try positive())
    }

    mutating func located() throws -> Located<String> {
        let value = try string()
        return Located(value, at: try location())
    }

    mutating func stringMap() throws -> [String: String] {
        let length = try count()
        var map = [String: String](minimumCapacity: min(length, 64))  // grown once, not per entry; bounded
        for _ in 0..<length {
            let key = try string()
            map[key] = try string()
        }
        return map
    }

    mutating func locationMap() throws -> [String: SourceLocation] {
        let length = try count()
        var map = [String: SourceLocation](minimumCapacity: min(length, 64))  // grown once, not per entry; bounded
        for _ in 0..<length {
            let key = try string()
            map[key] = try location()
        }
        return map
    }

    mutating func text() throws -> LocalizedText {
        var text = LocalizedText(variants: try stringMap(), variantLocations: try locationMap())
        text.languageLocations = try locationMap()
        text.location = try location()
        return text
    }

    mutating func target() throws -> Located<FlowTarget> {
        let value: FlowTarget
        switch try byte() {
        case 0: value = .end
        case 1: value = .step(try string())
        default: throw PlaybookArchive.Malformed()
        }
        return Located(value, at: try location())
    }

    mutating func command() throws -> CommandSpec {
        let length = try count()
        var argvByOS: [String: [Located<String>]] = [:]
        for _ in 0..<length {
            let os = try string()
            argvByOS[os] = try array { try $0.located() }
        }
        return CommandSpec(argvByOS: argvByOS, location: try location())
    }

    mutating func condition() throws -> Condition {
        depth += 1
        defer { depth -= 1 }
        guard depth < 64 else { throw PlaybookArchive.Malformed() }
        switch try byte() {
        case 0:
            let step = try located()
            return .equals(step: step, value: try located())
        case 1:
            let step = try located()
            return .oneOf(step: step, values: try array { try $0.located() })
        case 2:
            let step = try located()
            return .notEquals(step: step, value: try located())
        case 3: return .all(try array { try $0.condition() })
        case 4: return .any(try array { try $0.condition() })
        default: throw PlaybookArchive.Malformed()
        }
    }

    mutating func contact() throws -> Contact {
        let id = try string()
        let name = try text()
        var contact = Contact(id: id, name: name)
        contact.role = try optional { try $0.text() }
        contact.phone = try optional { try $0.string() }
        contact.email = try optional { try $0.string() }
        contact.url = try optional { try $0.string() }
        contact.hours = try optional { try $0.text() }
        contact.note = try optional { try $0.text() }
        contact.verified = try optional { reader in
            guard let day = CalendarDay(year: try reader.int(), month: try reader.int(), day: try reader.int()) else {
                throw PlaybookArchive.Malformed()
            }
            return Located(day, at: try reader.location())
        }
        contact.verifiedUnreadable = try bool()
        contact.path = try string()
        contact.location = try location()
        return contact
    }

    mutating func contacts() throws -> [String: Contact] {
        let length = try count()
        var map: [String: Contact] = [:]
        for _ in 0..<length {
            let key = try string()
            map[key] = try contact()
        }
        return map
    }

    mutating func playbook() throws -> Playbook {
        let path = try string()
        let id = try located()
        let revision = try optional { try $0.string() }
        let title = try text()
        let summary = try optional { try $0.text() }
        let audience = try raw(Audience.self)
        let languages = try array { try $0.located() }
        let contacts = try contacts()
        let start = try optional { try $0.located() }
        let steps = try array { try $0.step() }
        var playbook = Playbook(path: path, id: id, revision: revision, title: title, summary: summary, audience: audience,
                                languages: languages, contacts: contacts, start: start, steps: steps)
        playbook.deadlines = try array { try $0.deadline() }
        playbook.documents = try array { try $0.document() }
        return playbook
    }

    mutating func deadline() throws -> Deadline {
        let id = try located()
        let title = try text()
        let amount = try int()
        guard (0...876_000).contains(amount) else { throw PlaybookArchive.Malformed() }
        let unit = try raw(DeadlineDuration.Unit.self)
        let after = Located(DeadlineDuration(amount: amount, unit: unit), at: try location())
        let when = try optional { try $0.condition() }
        let note = try optional { try $0.text() }
        let url = try optional { try $0.string() }
        return Deadline(id: id, title: title, after: after, when: when, note: note, url: url, location: try location())
    }

    mutating func document() throws -> DocumentTemplate {
        let id = try located()
        let title = try text()
        let audience = try raw(DocumentAudience.self)
        let when = try optional { try $0.condition() }
        let body = try text()
        return DocumentTemplate(id: id, title: title, audience: audience, when: when, body: body, location: try location())
    }

    mutating func step() throws -> Step {
        let id = try located()
        let title = try text()
        let text = try optional { try $0.text() }
        let help = try optional { try $0.text() }
        let critical = try bool()
        let when = try optional { try $0.condition() }
        let next = try optional { try $0.target() }
        let location = try location()
        return Step(id: id, title: title, text: text, help: help, critical: critical, when: when, next: next,
                    kind: try kind(), location: location)
    }

    mutating func kind() throws -> StepKind {
        switch try byte() {
        case 0: return .info
        case 1:
            let yes = try optional { try $0.target() }
            let no = try optional { try $0.target() }
            let unsure = try bool()
            return .confirm(ConfirmSpec(yesNext: yes, noNext: no, unsure: unsure, unsureNext: try optional { try $0.target() }))
        case 2:
            return .choice(try array { reader in
                let value = try reader.located()
                let label = try reader.text()
                return ChoiceOption(value: value, label: label, next: try reader.optional { try $0.target() })
            })
        case 3:
            let items = try array { reader in
                let value = try reader.located()
                return ChecklistItem(value: value, label: try reader.text())
            }
            return .checklist(items: items, require: try raw(ChecklistRequirement.self))
        case 4:
            return .input(try array { reader in
                let id = try reader.located()
                let label = try reader.text()
                let required = try reader.bool()
                let multiline = try reader.bool()
                return InputField(id: id, label: label, required: required, multiline: multiline, maxLength: try reader.positive())
            })
        case 5:
            let action = try raw(NetworkAction.self)
            return .network(NetworkSpec(action: action, disconnectCommand: try optional { try $0.command() }))
        case 6:
            return .evidence(attach: try raw(AttachPolicy.self))
        case 7:
            let command = try command()
            let timeout = try positive()
            var verdicts: [Int: ScanVerdict] = [:]
            for _ in 0..<(try count()) {
                let code = try int()
                verdicts[code] = try raw(ScanVerdict.self)
            }
            var nextOn: [ScanVerdict: Located<FlowTarget>] = [:]
            for _ in 0..<(try count()) {
                let verdict = try raw(ScanVerdict.self)
                nextOn[verdict] = try target()
            }
            return .scan(ScanSpec(command: command, timeoutSeconds: timeout, verdicts: verdicts, nextOn: nextOn))
        case 8:
            return .collect(try array { reader in
                let name = try reader.located()
                let command = try reader.command()
                return CollectCommand(name: name, command: command, timeoutSeconds: try reader.positive())
            })
        case 9:
            let contact = try located()
            let fallback = try array { try $0.located() }
            let script = try optional { try $0.text() }
            let emailText = try optional { try $0.text() }
            return .notify(NotifySpec(contact: contact, fallback: fallback, script: script, emailText: emailText,
                                      emailScript: try optional { try $0.text() }))
        case 10:
            return .end(outcome: try string())
        default:
            throw PlaybookArchive.Malformed()
        }
    }
}
