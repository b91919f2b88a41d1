import Crypto
import NIOCore
import RegistryCheck
import RegistryRules

/// A blob's bytes on their way from the source to the target, checked as they pass: never more
/// than its descriptor's size, and the chunk that completes it withheld until the whole hashes to
/// the digest. A wrong blob fails the upload before the target has all of it, so nothing wrong is
/// ever committed there, and no blob is held whole in memory: chunks flow with the upload's
/// backpressure.
struct VerifyingBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    let base: Base
    let digest: String
    let size: Int
    let meter: TransferMeter

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let digest: String
        let size: Int
        let meter: TransferMeter
        var hasher = SHA256()
        var seen = 0
        var done = false

        mutating func next() async throws -> ByteBuffer? {
            if done { return nil }
            guard let chunk = try await base.next() else {
                guard seen == size else { throw BlobProblem.short(expected: size, got: seen) }
                try verify()
                return nil
            }
            let (total, overflow) = seen.addingReportingOverflow(chunk.readableBytes)
            guard !overflow, total <= size else { throw BlobProblem.long(expected: size) }
            hasher.update(data: chunk.readableBytesView)
            seen = total
            if seen == size { try verify() }
            meter.add(chunk.readableBytes)
            return chunk
        }

        private mutating func verify() throws {
            done = true
            let computed = ContentDigest.text(hasher.finalize())
            guard computed == digest else { throw BlobProblem.digest(expected: digest, got: computed) }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), digest: digest, size: size, meter: meter)
    }
}
