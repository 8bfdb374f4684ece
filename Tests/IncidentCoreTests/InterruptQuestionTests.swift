import IncidentCore
import Testing

/// Ctrl-C while a command runs in plain mode.
@Suite struct InterruptQuestionTests {
    @Test func aSecondPressWithinTenSecondsConfirms() {
        var question = InterruptQuestion()
        #expect(question.pressed(1, now: 100) == [.quit])
        #expect(question.tick(now: 105) == [])
        #expect(question.pressed(1, now: 109.5) == [.yes])
        #expect(question.askedAt == nil)
    }

    @Test func theQuestionClosesAfterTenSecondsAndALaterPressAsksAgain() {
        var question = InterruptQuestion()
        #expect(question.pressed(1, now: 0) == [.quit])
        #expect(question.tick(now: 10) == [])
        #expect(question.tick(now: 10.1) == [.dismiss])
        #expect(question.tick(now: 11) == [])
        #expect(question.pressed(1, now: 30) == [.quit])
    }

    @Test func twoPressesAtOnceAreTheQuestionAndItsAnswer() {
        var question = InterruptQuestion()
        #expect(question.pressed(0, now: 0) == [])
        #expect(question.pressed(2, now: 1) == [.quit, .yes])
        #expect(question.pressed(1, now: 2) == [.quit])
        #expect(question.pressed(3, now: 30) == [.yes], "the question is open: more presses answer it")
        #expect(question.askedAt == nil)
    }
}
