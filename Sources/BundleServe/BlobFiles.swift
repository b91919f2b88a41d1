import Crypto
import Foundation
import HummingbirdCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import RegistryRules
import ReleaseModel

#if canImport(Glibc)
import Glibc
#endif

/// A bundle's blob files as served: never sent under a digest their bytes do not hash to. Each
/// file is opened once per request (a regular file, never a link), and the descriptor is judged by
/// what it is (device, inode, size, change times): one whose bytes were hashed and found right is
/// served as it is; any other, a file replaced or rewritten since, is hashed again. A whole blob is
/// hashed as it is sent, its last chunk withheld until the digest matches (on a mismatch the
/// connection is cut, so the client fails loudly instead of storing wrong bytes); a range or a HEAD
/// of a file not yet verified is hashed whole first.
public final class BlobFiles: Sendable {
    /// What a file is, as `fstat` says: any rewrite or replacement changes it.
    struct Identity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var modifiedNanoseconds: Int
        var changed: Int64
        var changedNanoseconds: Int

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec)
            changedNanoseconds = Int(info.st_ctim.tv_nsec)
        }
    }

    /// Files found to hash to their digest, by digest.
    private let verified = NIOLockedValueBox<[String: Identity]>([:])
    static let chunk = 1 << 20

    public init() {}

    /// An open blob file of the bundle.
    struct Open: @unchecked Sendable {
        var handle: FileHandle
        var identity: Identity
        var size: Int64
    }

    /// Why a blob is not served.
    enum Refusal: Error {
        /// No regular file by that name.
        case absent
        /// Its bytes do not hash to its digest.
        case corrupt
    }

    func open(_ path: String) throws(Refusal) -> Open {
        guard let opened = try? RegularFile.open(path, followLinks: false) else { throw .absent }
        return Open(handle: opened.handle, identity: Identity(opened.status), size: opened.size)
    }

    func isVerified(_ digest: String, _ file: Open) -> Bool { verified.withLockedValue { $0[digest] == file.identity } }

    func markVerified(_ digest: String, _ file: Open) { verified.withLockedValue { $0[digest] = file.identity } }

    /// Hashes the whole file (off the event loop) unless it is known right; throws when it is not.
    func ensureVerified(_ digest: String, _ file: Open) async throws(Refusal) {
        if isVerified(digest, file) { return }
        let handle = file.handle
        let right: Bool
        do {
            right = try await NIOThreadPool.singleton.runIfActive { try ContentDigest.of(file: handle).digest == digest }
        } catch {
            throw .corrupt
        }
        guard right else { throw .corrupt }
        markVerified(digest, file)
    }

    /// `count` bytes from `offset`, read off the event loop.
    static func read(_ handle: FileHandle, offset: Int64, count: Int) async throws -> ByteBuffer {
        try await NIOThreadPool.singleton.runIfActive {
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw CocoaError(.fileReadCorruptFile) }
            return ByteBuffer(bytes: data)
        }
    }

    /// The body of `range` (the whole file when nil). A whole unverified file is hashed as it
    /// streams and its last chunk is sent only when the digest matches.
    func body(_ digest: String, _ file: Open, range: ClosedRange<Int>?) -> ResponseBody {
        let length = range.map(\.count) ?? Int(file.size)
        let start = Int64(range?.lowerBound ?? 0)
        let hashing = range == nil && !isVerified(digest, file)
        return ResponseBody(contentLength: length) { writer in
            defer { try? file.handle.close() }
            var hasher = SHA256()
            var offset = start
            let end = start + Int64(length)
            var pending: ByteBuffer?
            while offset < end {
                let count = Int(min(Int64(Self.chunk), end - offset))
                let buffer = try await Self.read(file.handle, offset: offset, count: count)
                offset += Int64(count)
                if hashing { buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) } }
                if let previous = pending { try await writer.write(previous) }
                pending = buffer
            }
            if hashing {
                // The completing chunk goes out only for the right bytes; else the answer ends short.
                guard ContentDigest.text(hasher.finalize()) == digest else { throw Refusal.corrupt }
                self.markVerified(digest, file)
            }
            if let pending { try await writer.write(pending) }
            try await writer.finish(nil)
        }
    }
}
