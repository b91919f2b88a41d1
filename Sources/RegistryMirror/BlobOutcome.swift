/// How a blob came to be at the target.
enum BlobOutcome: Sendable, Equatable {
    case sent(bytes: Int)
    /// The target had it in this repository already (or another image of the run just sent it).
    case skipped
    /// The target had it in another repository and linked it here (a cross-repository mount).
    case mounted
}
