/// What a blob's bytes got wrong on their way through (`VerifyingBody`): the copy is refused.
enum BlobProblem: Error, Sendable, CustomStringConvertible {
    case short(expected: Int, got: Int)
    case long(expected: Int)
    case digest(expected: String, got: String)

    var description: String {
        switch self {
        case .short(let expected, let got): "the source sent \(got) bytes of \(expected), then ended"
        case .long(let expected): "the source sent more than the \(expected) bytes its manifest says"
        case .digest(let expected, let got): "the bytes the source sent hash to \(got), not \(expected)"
        }
    }
}
