/// The phrases kubelet, containerd and Flux write into events and conditions that the detectors
/// read facts from (an image, a volume, a DNS server), and the revision in a bootstrap Job's name,
/// matched by hand.
///
/// Each matcher finds exactly what the regular expression in its comment finds (leftmost match,
/// Character semantics, as Swift's `Regex` does; `MessagePatternsTests` and the `messages` fuzz
/// target compare them with those expressions). They are not `Regex` literals because a literal
/// is parsed again each time it is evaluated, on every collection, and the regex engine was a
/// megabyte of the status server's resident memory. Every scan here moves forward through the
/// text (a resolver's tries backward through its own run), and a known DNS error is searched once
/// per line (`KnownErrorScan`), so a message costs time linear in its length times the phrase's.
public enum MessagePatterns {
    /// `/Failed to pull image "([^"]+)"/`: the image a kubelet pull failure names.
    public static func failedPullImage(in text: String) -> Substring? {
        quoted(after: ["Failed to pull image "], in: text)?[0]
    }

    /// `/image "([^"]+)"/`: the image a `Pulling` event names.
    public static func pullingImage(in text: String) -> Substring? {
        quoted(after: ["image "], in: text)?[0]
    }

    /// `/failed to create subPath directory for volumeMount "([^"]+)" of container "([^"]+)"/`:
    /// the volume (and container) of kubelet's subPath failure.
    public static func subPathFailure(in text: String) -> (volume: Substring, container: Substring)? {
        guard let values = quoted(after: ["failed to create subPath directory for volumeMount ", " of container "], in: text) else { return nil }
        return (values[0], values[1])
    }

    /// `/lookup\s+([A-Za-z0-9.-]+)\s+on\s+([0-9a-fA-F.:\[\]]+):53:\s*(.*(server misbehaving|no such host|i\/o timeout|connection refused).*)/`:
    /// Go's resolver error, naming the host looked up and the DNS server that failed.
    public static func lookupFailure(in text: String) -> (host: Substring, resolver: Substring)? {
        var errors = KnownErrorScan()
        for start in occurrences(of: "lookup", in: text) {
            guard let hostStart = skipWhitespace(text, from: text.index(start, offsetBy: 6), atLeastOne: true) else { continue }
            let host = run(text, from: hostStart) { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }
            guard host.lowerBound < host.upperBound, let afterHost = skipWhitespace(text, from: host.upperBound, atLeastOne: true),
                text[afterHost...].hasPrefix("on"), let resolverStart = skipWhitespace(text, from: text.index(afterHost, offsetBy: 2), atLeastOne: true)
            else { continue }
            // The resolver's class holds ':', '5' and '3', so `:53:` may sit inside the run: the
            // longest resolver that is followed by `:53:` and a known error wins, as a greedy `+` does.
            let resolverRun = run(text, from: resolverStart) { $0.isASCII && ($0.isHexDigit || ".:[]".contains($0)) }
            var end = resolverRun.upperBound
            while end > resolverStart {
                if text[end...].hasPrefix(":53:"), errors.follows(text, at: text.index(end, offsetBy: 4)) {
                    return (text[host], text[resolverStart..<end])
                }
                end = text.index(before: end)
            }
        }
        return nil
    }

    /// `/cannot unmarshal !!str `?tcp:\/\//`: a Service link variable (`…_PORT=tcp://…`) where the
    /// app expected a number. Returns where the phrase is, so the caller can quote its line.
    public static func serviceLink(in text: String) -> Range<String.Index>? {
        let phrase = "cannot unmarshal !!str "
        for start in occurrences(of: phrase, in: text) {
            var rest = text[start...].dropFirst(phrase.count)
            if rest.first == "`" { rest = rest.dropFirst() }
            if rest.hasPrefix("tcp://") { return start..<rest.index(rest.startIndex, offsetBy: 6) }
        }
        return nil
    }

    /// `/-r(\d+)$/` as an Int: the revision that ends a bootstrap Job's name (`-r10` is newer than `-r9`).
    public static func revision(ofJobNamed name: String) -> Int? {
        let digits = name.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, name.dropLast(digits.count).hasSuffix("-r") else { return nil }
        return Int(String(digits.reversed()))
    }

    // MARK: the pieces

    /// The errors a resolver failure must name, on the line after `:53:`.
    static let knownErrors = ["server misbehaving", "no such host", "i/o timeout", "connection refused"]

    /// `\s*(.*(server misbehaving|…).*)` after `:53:`, for every `:53:` a lookup tries: `\s*` may
    /// cross newlines, `.` may not, so a known error must start on the line where the whitespace
    /// ends, at or after it. Searched once per line, not once per try: a resolver of a thousand
    /// `:53:`s, or a thousand lookups on one long line, would search that line a thousand times.
    /// A try that finds a known error ends the lookup, so what is worth remembering is where there
    /// is none: the part of one line searched without finding one. The tries come forward through
    /// the text, except that one run's tries go backward from its end: the clear part grows backward
    /// along its line, and starts over on another line.
    struct KnownErrorScan {
        var clear: Range<String.Index>?

        mutating func follows(_ text: String, at position: String.Index) -> Bool {
            let start = text[position...].firstIndex { !$0.isWhitespace } ?? text.endIndex
            if let clear, clear.contains(start) { return false }
            // Before the clear part, search up to it: if no newline comes first, it is this line's rest.
            let join = clear.flatMap { start < $0.lowerBound ? $0.lowerBound : nil }
            var i = start
            while i < text.endIndex, i != join, !text[i].isNewline {
                if knownErrors.contains(where: { text[i...].hasPrefix($0) }) { return true }
                i = text.index(after: i)
            }
            clear = start..<((i == join ? clear?.upperBound : nil) ?? i)
            return false
        }
    }

    /// `marker[0]"([^"]+)"marker[1]"([^"]+)"…`, leftmost: the quoted values, or nil.
    static func quoted(after markers: [String], in text: String) -> [Substring]? {
        guard let first = markers.first else { return nil }
        search: for start in occurrences(of: first, in: text) {
            var values: [Substring] = []
            var rest = text[start...]
            for marker in markers {
                guard rest.hasPrefix(marker) else { continue search }
                rest = rest.dropFirst(marker.count)
                guard rest.first == "\"" else { continue search }
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: "\""), close > rest.startIndex else { continue search }
                values.append(rest[..<close])
                rest = rest[rest.index(after: close)...]
            }
            return values
        }
        return nil
    }

    /// Where `phrase` starts in `text`, left to right.
    static func occurrences(of phrase: String, in text: String) -> some Sequence<String.Index> {
        let head = phrase.first
        return AnySequence { () -> AnyIterator<String.Index> in
            // Each iteration from the start of the text, with its own position.
            var from = text.startIndex
            return AnyIterator {
                guard let head else { return nil }
                while let i = text[from...].firstIndex(of: head) {
                    from = text.index(after: i)
                    if text[i...].hasPrefix(phrase) { return i }
                }
                from = text.endIndex
                return nil
            }
        }
    }

    /// The index after a run of whitespace at `from`; nil when `atLeastOne` and there is none.
    static func skipWhitespace(_ text: String, from: String.Index, atLeastOne: Bool) -> String.Index? {
        let end = run(text, from: from) { $0.isWhitespace }.upperBound
        return atLeastOne && end == from ? nil : end
    }

    /// The longest run of characters from `from` that satisfy `accept`.
    static func run(_ text: String, from: String.Index, while accept: (Character) -> Bool) -> Range<String.Index> {
        var end = from
        while end < text.endIndex, accept(text[end]) { end = text.index(after: end) }
        return from..<end
    }
}
