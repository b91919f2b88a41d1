import ApplianceStatus
import Foundation

/// Times as the page says them to a person: how old something is in words ("3 minutes ago"), a
/// duration ("2 minutes 5 seconds"), and a moment on the UTC clock, with its date when it is not today's.
enum TimeWords {
    /// "just now" under 10 s, then the largest two units that matter: "45 seconds ago",
    /// "3 minutes ago", "1 hour 5 minutes ago", "2 days 4 hours ago". Negative ages (a clock ahead
    /// of this one) are "just now".
    static func ago(_ seconds: Int) -> String {
        seconds < 10 ? "just now" : "\(duration(seconds, seconds: false)) ago"
    }

    /// "2 minutes 5 seconds"; seconds are said under an hour only when `seconds` is true or the
    /// duration is under a minute.
    static func duration(_ total: Int, seconds showSeconds: Bool = true) -> String {
        let total = max(0, total)
        let (days, hours, minutes, seconds) = (total / 86_400, total % 86_400 / 3_600, total % 3_600 / 60, total % 60)
        func unit(_ n: Int, _ name: String) -> String { "\(n) \(name)\(n == 1 ? "" : "s")" }
        if days > 0 { return hours > 0 ? "\(unit(days, "day")) \(unit(hours, "hour"))" : unit(days, "day") }
        if hours > 0 { return minutes > 0 ? "\(unit(hours, "hour")) \(unit(minutes, "minute"))" : unit(hours, "hour") }
        if minutes > 0 { return showSeconds && seconds > 0 ? "\(unit(minutes, "minute")) \(unit(seconds, "second"))" : unit(minutes, "minute") }
        return unit(seconds, "second")
    }

    /// Whole seconds from `earlier` to `later`, clamped: dates from input can be anything, and a
    /// difference that does not fit an Int must not trap.
    static func seconds(from earlier: Date, to later: Date) -> Int {
        let interval = later.timeIntervalSince(earlier)
        guard interval.isFinite, interval > 0 else { return 0 }
        return interval >= Double(Int32.max) ? Int(Int32.max) : Int(interval)
    }

    /// "14:05:09 UTC", or "2026-05-12 14:05:09 UTC" when it is not the same UTC day as `now`.
    /// Called for every event row of every page: arithmetic, no calendar (see `RFC3339`).
    static func moment(_ date: Date, now: Date) -> String {
        let t = RFC3339.UTCTime(date)
        let time = "\(t.timeText) UTC"
        return t.isSameDay(as: RFC3339.UTCTime(now)) ? time : "\(t.dateText) \(time)"
    }
}
