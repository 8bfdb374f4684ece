import IncidentCore
import IncidentUI

/// What a front end's loop drives: the session (`SessionRuntime`) or a question before it
/// (`DialogRuntime`). The full screen (`TerminalLoop`) and plain mode (`PlainLoop`) each have one
/// loop for both.
public protocol LoopProgram: AnyObject {
    /// The screen's model; nil while a step is being entered.
    var model: StepModel? { get }
    /// Counts the screens entered: a new one is shown from its start.
    var entered: Int { get }
    var isOver: Bool { get }
    var commandRunning: Bool { get }
    /// A background scan is running (`wait: false`).
    var backgroundRunning: Bool { get }
    var words: Vocabulary { get }
    /// The header's facts (no step count outside a session).
    func frame(clock: String) -> Frame
    func input(_ input: StepInput) throws
    /// A signal, the window closed, the input ended.
    func stop(reason: String) throws
    /// Brings a running command's end in, or (with `progress`) how far it is.
    func poll(progress: Bool) throws
}

extension SessionRuntime: LoopProgram {
    public var entered: Int { program.entered }
    public var isOver: Bool { ending != nil }
    public func input(_ input: StepInput) throws { try send(.input(input)) }
    public func stop(reason: String) throws { try send(.stop(reason: reason)) }
}

/// A `DialogProgram` on the front ends' loop.
public final class DialogRuntime: LoopProgram {
    public private(set) var program: DialogProgram

    public init(_ program: DialogProgram) {
        self.program = program
    }

    public var model: StepModel? { program.model }
    public var entered: Int { 1 }
    public var isOver: Bool { program.ending != nil }
    public var commandRunning: Bool { false }
    public var backgroundRunning: Bool { false }
    public var words: Vocabulary { program.model.words }
    public var ending: DialogProgram.Ending? { program.ending }

    public func frame(clock: String) -> Frame {
        Frame(playbookTitle: program.title, stepNumber: 0, stepTotal: 0, clock: clock)
    }

    public func input(_ input: StepInput) throws { program.update(input) }
    public func stop(reason: String) throws { program.stop() }
    public func poll(progress: Bool) throws {}
}
