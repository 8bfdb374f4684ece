extension MailMessage {
    /// How much of a file `looksLikeMail` is given: a real mail's first header fields are well
    /// inside it.
    public static let recognitionBytes = 64 * 1024

    /// Whether a file's first bytes are a saved mail, whatever the file is called
    /// (「ご請求書の送付」 with no extension, a mail saved as `.txt`). Conservative: the file starts
    /// with RFC 5322 header fields (one mbox `From ` line before them is allowed); every complete
    /// line up to the blank line that ends the header (or up to the end of `head`) is a field
    /// (`Name:` with a name of printable ASCII) or a folded continuation; and the fields include
    /// `From` and at least one of `Date`, `Subject`, `Message-ID`, `Received` or `MIME-Version`.
    /// A document, a picture, a log or a YAML file with a `from:` key does not start so.
    public static func looksLikeMail(_ head: some Collection<UInt8>) -> Bool {
        let bytes = Array(head.prefix(recognitionBytes))
        var names: Set<String> = []
        var index = 0
        var first = true
        while index < bytes.count, let end = bytes[index...].firstIndex(of: 0x0A) {
            var line = bytes[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            index = end + 1
            if line.isEmpty { break }
            defer { first = false }
            if first, line.starts(with: "From ".utf8) { continue }
            if line.first == 0x20 || line.first == 0x09 {
                if names.isEmpty { return false }
                continue
            }
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                  line[..<colon].allSatisfy({ (0x21...0x7E).contains($0) }) else { return false }
            names.insert(String(decoding: line[..<colon], as: UTF8.self).lowercased())
        }
        return names.contains("from") && !names.isDisjoint(with: ["date", "subject", "message-id", "received", "mime-version"])
    }
}
