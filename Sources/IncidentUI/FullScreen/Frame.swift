import IncidentCore

/// What the header shows besides the step itself.
public struct Frame: Sendable, Equatable {
    public var playbookTitle: String
    public var stepNumber: Int
    public var stepTotal: Int
    public var clock: String
    public var drill: Bool

    public init(playbookTitle: String, stepNumber: Int, stepTotal: Int, clock: String, drill: Bool = false) {
        self.playbookTitle = playbookTitle
        self.stepNumber = stepNumber
        self.stepTotal = stepTotal
        self.clock = clock
        self.drill = drill
    }
}
