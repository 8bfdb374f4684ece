import IncidentCore

/// What the header shows besides the step itself.
public struct Frame: Sendable, Equatable {
    public var playbookTitle: String
    public var stepNumber: Int
    public var stepTotal: Int
    public var clock: String
    public var drill: Bool
    /// A background scan's one-line status (「ウイルス検査中 61%」), under the title bar.
    public var status: String?
    /// The status says something was found: shown as an alert.
    public var statusAlert: Bool

    public init(playbookTitle: String, stepNumber: Int, stepTotal: Int, clock: String, drill: Bool = false,
                status: String? = nil, statusAlert: Bool = false) {
        self.status = status
        self.statusAlert = statusAlert
        self.playbookTitle = playbookTitle
        self.stepNumber = stepNumber
        self.stepTotal = stepTotal
        self.clock = clock
        self.drill = drill
    }
}
