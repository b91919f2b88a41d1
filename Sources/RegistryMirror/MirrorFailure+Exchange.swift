import Foundation
import RegistryCheck
import RegistryRules

extension MirrorFailure {
    /// A registry's answer that is not the one wanted, in the gate's terms: missing only when the
    /// registry's own error code says so; a target's DIGEST_INVALID means the bytes were wrong.
    init(_ exchange: Exchange, what: String, client: RegistryClient) {
        switch exchange {
        case .rateLimited(let detail): self.init(outcome: .unreachable, detail: "\(what): \(detail)")
        case .unreachable(let detail, _): self.init(outcome: .unreachable, detail: "\(what): \(detail)")
        case .denied(let detail, _): self.init(outcome: .denied, detail: "\(what): \(detail)")
        case .response(let status, _, let body, let auth):
            let codes = RegistryErrors.parse(body.map { Data(buffer: $0) }).map(\.code)
            let said = client.errorSummary(body)
            let answer = "HTTP \(status)\(said.isEmpty ? "" : " \(said)")"
            switch status {
            case 401, 403: self.init(outcome: .denied, detail: "\(what): \(answer) (\(auth))")
            // Rate limited mid-transfer (a streamed blob's GET is not retried by the client): it may pass.
            case 429: self.init(outcome: .unreachable, detail: "\(what): rate limited (\(answer))")
            case 404 where !Set(codes).isDisjoint(with: [.manifestUnknown, .blobUnknown, .nameUnknown]):
                self.init(outcome: .missing, detail: "\(what): \(answer)")
            case 400 where codes.contains(.digestInvalid) || codes.contains(.sizeInvalid):
                self.init(outcome: .corrupt, detail: "\(what): the target says the bytes do not match (\(answer))")
            case 400...499: self.init(outcome: .refused, detail: "\(what): \(answer)")
            default: self.init(outcome: .unreachable, detail: "\(what): unexpected \(answer)")
            }
        }
    }
}
