/// A text in one or more languages (the format's "Text"). A plain string is stored under
/// `LocalizedText.anyLanguage` and is valid only in a playbook with exactly one language.
public struct LocalizedText: Sendable, Equatable {
    public static let anyLanguage = "*"

    /// Language code → text.
    public var variants: [String: String]
    /// Where each variant was written.
    public var variantLocations: [String: SourceLocation]
    /// Where each language code was written (for "unknown language" errors).
    public var languageLocations: [String: SourceLocation] = [:]
    public var location: SourceLocation

    public init(variants: [String: String], variantLocations: [String: SourceLocation] = [:],
                location: SourceLocation = .start) {
        self.variants = variants
        self.variantLocations = variantLocations
        self.location = location
    }

    /// A plain single-language text, for tests and the wizard's own words.
    public init(_ plain: String) {
        self.init(variants: [Self.anyLanguage: plain])
    }

    public var isPlain: Bool { variants.keys.contains(Self.anyLanguage) }

    /// The text in `language`, else the plain string, else any variant (deterministically).
    public func resolved(_ language: String) -> String {
        if let text = variants[language] ?? variants[Self.anyLanguage] { return text }
        return variants.keys.sorted().first.flatMap { variants[$0] } ?? ""
    }
}
