import ApplianceStatus

/// The regular expressions the status detectors used before `MessagePatterns` matched their phrases
/// by hand: what the hand-written matchers must agree with, in the tests and the `messages` fuzz target.
public enum MessageRegexes {
    public static func failedPullImage(in text: String) -> Substring? {
        text.firstMatch(of: /Failed to pull image "([^"]+)"/)?.output.1
    }

    public static func pullingImage(in text: String) -> Substring? {
        text.firstMatch(of: /image "([^"]+)"/)?.output.1
    }

    public static func subPathFailure(in text: String) -> (volume: Substring, container: Substring)? {
        text.firstMatch(of: /failed to create subPath directory for volumeMount "([^"]+)" of container "([^"]+)"/).map { ($0.output.1, $0.output.2) }
    }

    public static func lookupFailure(in text: String) -> (host: Substring, resolver: Substring)? {
        text.firstMatch(
            of: /lookup\s+([A-Za-z0-9.-]+)\s+on\s+([0-9a-fA-F.:\[\]]+):53:\s*(.*(server misbehaving|no such host|i\/o timeout|connection refused).*)/
        )
        .map { ($0.output.1, $0.output.2) }
    }

    public static func serviceLink(in text: String) -> Range<String.Index>? {
        text.firstMatch(of: /cannot unmarshal !!str `?tcp:\/\//)?.range
    }

    public static func revision(_ name: String) -> Int? {
        name.firstMatch(of: /-r(\d+)$/).flatMap { Int($0.output.1) }
    }

    /// Where `MessagePatterns` and the expressions disagree on `text`, described; empty when they agree.
    public static func disagreements(_ text: String) -> [String] {
        var found: [String] = []
        func same<T: Equatable>(_ name: String, _ hand: T?, _ regex: T?) {
            if hand != regex { found.append("\(name): by hand \(String(describing: hand)), by regex \(String(describing: regex))") }
        }
        same("failedPullImage", MessagePatterns.failedPullImage(in: text), failedPullImage(in: text))
        same("pullingImage", MessagePatterns.pullingImage(in: text), pullingImage(in: text))
        same(
            "subPathFailure", MessagePatterns.subPathFailure(in: text).map { "\($0.volume)|\($0.container)" },
            subPathFailure(in: text).map { "\($0.volume)|\($0.container)" })
        same(
            "lookupFailure", MessagePatterns.lookupFailure(in: text).map { "\($0.host)|\($0.resolver)" },
            lookupFailure(in: text).map { "\($0.host)|\($0.resolver)" })
        same("serviceLink", MessagePatterns.serviceLink(in: text), serviceLink(in: text))
        same("revision", MessagePatterns.revision(ofJobNamed: text), revision(text))
        return found
    }
}
