import Foundation
import NIOConcurrencyHelpers

/// The token the server compares against, read from a file and read again when the file changes:
/// a rotated Secret arrives as a new file behind the volume's `..data` symlink.
///
/// Checking costs one stat(2) per request; the file is read only when its identity, size or
/// modification time changed.
public final class TokenFile: Sendable {
    public let path: String
    /// The file's identity when last read, and what reading it gave.
    private let state = NIOLockedValueBox<(identity: Identity?, cached: Result<String, TokenFileError>)>(
        (nil, .failure(TokenFileError(path: "", reason: "not read yet"))))
    /// Called (outside the lock) when the token became usable, changed, or became unusable; never with the token.
    private let onChange: @Sendable (Result<Void, TokenFileError>) -> Void

    struct Identity: Equatable, Sendable {
        var device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int
    }

    public init(path: String, onChange: @escaping @Sendable (Result<Void, TokenFileError>) -> Void = { _ in }) {
        self.path = path
        self.onChange = onChange
    }

    /// The current token, or why there is none (then every request is unauthorized).
    public func current() -> Result<String, TokenFileError> {
        let now = Self.identity(of: path)
        let (result, changed): (Result<String, TokenFileError>, Bool) = state.withLockedValue { state in
            if let now, now == state.identity { return (state.cached, false) }
            // A token is 48 characters; anything over 4 KiB is not one, and is not read.
            let result = (now?.size ?? 0) > 4096 ? .failure(TokenFileError(path: path, reason: "is larger than 4 KiB: not a token file")) : Self.read(path)
            let changed: Bool
            switch (result, state.cached) {
            case (.success(let a), .success(let b)): changed = a != b
            case (.failure(let a), .failure(let b)): changed = a != b
            default: changed = true
            }
            state = (now, result)
            return (result, changed)
        }
        if changed { onChange(result.map { _ in () }) }
        return result
    }

    /// What a presented token is worth against the file.
    public enum Verdict: Sendable, Equatable {
        /// The current token (to sign a session with).
        case match(String)
        /// A token is in force and this is not it: a guess, which the throttle counts.
        case mismatch
        /// There is no usable token (missing or malformed file): nothing could be checked, so this
        /// is not a guess and must not count against the address (a page refreshing while a Secret
        /// is re-mounted would lock its owner out).
        case unavailable
    }

    /// Compares `presented` with the current token in constant time; one read of the file for
    /// callers that go on to use the token, e.g. to sign a session.
    public func check(_ presented: some StringProtocol) -> Verdict {
        guard case .success(let token) = current() else { return .unavailable }
        return StatusToken.constantTimeEquals(presented, token) ? .match(token) : .mismatch
    }

    /// Whether `presented` is the current token, in constant time.
    public func matches(_ presented: some StringProtocol) -> Bool {
        if case .match = check(presented) { true } else { false }
    }

    static func read(_ path: String) -> Result<String, TokenFileError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(TokenFileError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"))
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard StatusToken.isWellFormed(token) else {
            return .failure(TokenFileError(path: path, reason: "does not hold a hex token of 32 to 256 characters (alga-release status-token makes one)"))
        }
        return .success(token)
    }

    private static func identity(of path: String) -> Identity? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        #if canImport(Darwin)
        return Identity(
            device: UInt64(s.st_dev), inode: UInt64(s.st_ino), size: Int64(s.st_size), seconds: s.st_mtimespec.tv_sec, nanoseconds: s.st_mtimespec.tv_nsec)
        #else
        return Identity(device: UInt64(s.st_dev), inode: UInt64(s.st_ino), size: Int64(s.st_size), seconds: s.st_mtim.tv_sec, nanoseconds: s.st_mtim.tv_nsec)
        #endif
    }
}
