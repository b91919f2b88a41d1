import Foundation
import Testing

@testable import StatusServer

/// How old the information is, said in words, and the clock with its date when it is not today's.
@Suite struct TimeWordsTests {
    @Test(arguments: [
        (-5, "just now"), (0, "just now"), (9, "just now"), (10, "10 seconds ago"), (59, "59 seconds ago"), (60, "1 minute ago"),
        (61, "1 minute ago"), (150, "2 minutes ago"), (3_600, "1 hour ago"), (3_900, "1 hour 5 minutes ago"), (86_400, "1 day ago"),
        (2 * 86_400 + 4 * 3_600 + 59, "2 days 4 hours ago"), (Int.max, "106751991167300 days 15 hours ago"),
    ])
    func ago(seconds: Int, words: String) {
        #expect(TimeWords.ago(seconds) == words)
    }

    @Test(arguments: [(1, "1 second"), (5, "5 seconds"), (376, "6 minutes 16 seconds"), (360, "6 minutes"), (7_260, "2 hours 1 minute")])
    func duration(seconds: Int, words: String) {
        #expect(TimeWords.duration(seconds) == words)
    }

    /// Dates from input can be anything: no difference traps, and a future one is no age.
    @Test func secondsBetweenAnyTwoDatesAreClamped() {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(TimeWords.seconds(from: .distantPast, to: .distantFuture) == Int(Int32.max))
        #expect(TimeWords.seconds(from: .distantFuture, to: now) == 0)
        #expect(TimeWords.seconds(from: now.addingTimeInterval(-90.7), to: now) == 90)
    }

    @Test func aMomentNamesItsDateWhenItIsNotToday() {
        let now = ISO8601DateFormatter().date(from: "2026-12-01T22:00:00Z")!
        #expect(TimeWords.moment(now.addingTimeInterval(-3_600), now: now) == "21:00:00 UTC")
        #expect(TimeWords.moment(ISO8601DateFormatter().date(from: "2026-05-12T14:05:00Z")!, now: now) == "2026-05-12 14:05:00 UTC")
    }
}
