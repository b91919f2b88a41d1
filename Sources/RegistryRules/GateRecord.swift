import Foundation
import JSONDocument
import ReleaseModel

/// A `check --format json` report read back as evidence that a release passed the gate, and the
/// rules for when it lets a channel move (`promote --report`). Pure: the report's bytes, the
/// release's images as they are now and the clock in, a refusal out.
///
/// A report promotes only the exact release it checked: every image the release names now must be
/// in it, present, at the digest the release pins (a tag changed after the gate ran is an image
/// nobody checked: the 1.0-rc5 incident), and its verdict must follow from its images (a
/// hand-edited `"verdict": "pass"` over `missing_tag` images is refused).
public struct GateRecord: Sendable, Equatable {
    public struct Image: Sendable, Equatable {
        public var ref: String
        public var status: CheckStatus
        public var digest: String?
    }

    public var release: String?
    public var policy: Policy
    public var verdict: Verdict
    public var finishedAt: Date
    public var images: [Image]

    /// What is wrong with a report; `description` completes "FILE ".
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case notAReport(String)
        case otherRelease(String?)
        case policy(String)
        case verdict(String)
        case verdictContradicted(ref: String, status: CheckStatus)
        case noImages
        case undated
        case stale(age: Int, maxAge: Int)
        case future
        case unchecked([String])
        case otherDigest(ref: String, pinned: String, reported: String?)

        public var description: String {
            switch self {
            case .notAReport(let why): "is not a check --format json report (\(why))"
            case .otherRelease(let release): "is the report of \(release ?? "a list of references"), not of this release"
            case .policy(let policy): "was made with --policy \(policy); promotion needs --policy gate"
            case .verdict(let verdict): "says verdict \(verdict); only a passing gate promotes a release"
            case .verdictContradicted(let ref, let status):
                "says verdict pass, but its image \(ref) is \(status.rawValue): the verdict does not follow from the images, so the report was not written by the gate as it is"
            case .noImages: "names no image: a gate that checked nothing proves nothing"
            case .undated: "does not say when the check ran (finishedAt); run the check again with this alga-release"
            case .stale(let age, let maxAge): "is \(age) s old, more than --max-age \(maxAge) s; run the check again"
            case .future: "finished in the future; the clocks disagree"
            case .unchecked(let refs):
                "does not cover the release as it is now: \(refs.joined(separator: ", ")) \(refs.count == 1 ? "was" : "were") not checked (the release changed after the gate ran); run the check again"
            case .otherDigest(let ref, let pinned, let reported):
                "checked \(ref) at \(reported ?? "no digest"), but the release pins \(pinned) now; run the check again"
            }
        }
    }

    /// Reads a report with the project's JSON reader: a duplicated key (`"verdict":"fail"` then
    /// `"pass"`) is refused, since readers disagree on which one counts.
    public static func read(_ bytes: Data) throws(Refusal) -> GateRecord {
        let parsed: ParsedJSON
        do { parsed = try JSONParser.parse(Array(bytes)) } catch { throw .notAReport("not valid JSON: \(error.message)") }
        if let duplicate = parsed.duplicateKeys.first {
            throw .notAReport("the key \(duplicate.pointer.displayName) is given twice at line \(duplicate.location.line)")
        }
        let root = parsed.root
        guard case .object = root.value else { throw .notAReport("not a JSON object") }
        func string(_ key: String) throws(Refusal) -> String {
            guard let value = root[key]?.stringValue else { throw .notAReport("no string \(key)") }
            return value
        }
        let policyText = try string("policy")
        guard let policy = Policy(rawValue: policyText) else { throw .policy(policyText) }
        let verdictText = try string("verdict")
        guard let verdict = Verdict(rawValue: verdictText) else { throw .notAReport("verdict \(verdictText) is not one the gate gives") }
        guard let finished = root["finishedAt"]?.stringValue, let finishedAt = ISO8601DateFormatter().date(from: finished) else { throw .undated }
        guard case .array(let entries) = root["images"]?.value ?? .null else { throw .notAReport("no images list") }
        var images: [Image] = []
        for entry in entries {
            guard let ref = entry["ref"]?.stringValue, let statusText = entry["status"]?.stringValue, let status = CheckStatus(rawValue: statusText) else {
                throw .notAReport("an image without a ref and a known status")
            }
            images.append(Image(ref: ref, status: status, digest: entry["digest"]?.stringValue))
        }
        let release: String?
        switch root["release"]?.value {
        case .string(let name): release = name
        case .null, .none: release = nil
        default: throw .notAReport("release is not a string")
        }
        return GateRecord(release: release, policy: policy, verdict: verdict, finishedAt: finishedAt, images: images)
    }

    /// Why this report does not promote `release` whose images are now `current`; nil when it does.
    public func refusal(release version: String, current: [ResolvedImage], now: Date, maxAge: Double) -> Refusal? {
        guard release == version else { return .otherRelease(release) }
        guard policy == .gate else { return .policy(policy.rawValue) }
        guard verdict == .pass else { return .verdict(verdict.rawValue) }
        guard !images.isEmpty else { return .noImages }
        if let contradiction = images.first(where: { $0.status != .present }) {
            return .verdictContradicted(ref: contradiction.ref, status: contradiction.status)
        }
        let age = now.timeIntervalSince(finishedAt)
        guard age > -300 else { return .future }
        guard age <= maxAge else { return .stale(age: Int(age), maxAge: Int(maxAge)) }
        var byRef: [String: Image] = [:]
        for image in images { byRef[image.ref] = byRef[image.ref] ?? image }
        let unchecked = current.map(\.ref.description).filter { byRef[$0] == nil }
        guard unchecked.isEmpty else { return .unchecked(Array(Set(unchecked)).sorted()) }
        // Every image of the report is present (a pass its images contradict was refused above).
        for image in current {
            guard let checked = byRef[image.ref.description] else { continue }
            if let pinned = image.ref.digest, checked.digest != pinned {
                return .otherDigest(ref: checked.ref, pinned: pinned, reported: checked.digest)
            }
        }
        return nil
    }
}
