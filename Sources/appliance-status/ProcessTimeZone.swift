import Foundation

/// The process's time zone, set before anything reads it.
enum ProcessTimeZone {
    /// With `TZ` unset, Foundation's current time zone is the system's named zone (`Etc/UTC` in the
    /// image), which it reads through ICU's zone data: about 1.5 MB of the server's resident memory,
    /// for the `Calendar` Hummingbird makes for its `Date` header. `GMT` is the fixed zero offset
    /// Foundation makes without ICU. The server says every time in UTC anyway (pages, API; the log's
    /// offset is +0000 either way); an operator's own `TZ` is kept.
    static func fixedUnlessSet() {
        if ProcessInfo.processInfo.environment["TZ"] == nil { setenv("TZ", "GMT", 0) }
    }
}
