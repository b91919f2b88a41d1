import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Opening a file by name only when it is a regular file: never a FIFO (opening one blocks until a
/// writer comes), a device (`/dev/zero` never ends), a directory or, where links are not followed,
/// a symbolic link. The kind is judged on the open descriptor (`fstat`), so a file swapped for
/// another between a look and the open is judged as what was opened. The one way the tool opens a
/// file someone else wrote: input files, a bundle's index and blobs, the files a tar is made of.
public enum RegularFile {
    /// Why a file was not opened; `description` completes "PATH …".
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case missing
        case directory
        case link
        /// A FIFO, socket or device.
        case special(String)
        case tooLarge(size: Int64, limit: Int)
        case unreadable(String)

        public var description: String {
            switch self {
            case .missing: "does not exist"
            case .directory: "is a directory"
            case .link: "is a symbolic link"
            case .special(let kind): "is a \(kind), not a regular file"
            case .tooLarge(let size, let limit): "is \(size) bytes, more than the \(limit) allowed"
            case .unreadable(let reason): "cannot be read (\(reason))"
            }
        }
    }

    /// An open regular file and its size when opened. The caller closes it.
    public struct Opened: @unchecked Sendable {
        public let handle: FileHandle
        public let size: Int64
        /// What `fstat` said of the descriptor when it was opened (device, inode, times).
        public let status: stat
    }

    /// Opens `path` for reading. `followLinks: false` refuses a symbolic link (a bundle's files
    /// are never links: a link could name any file of the machine); `maxBytes` refuses a larger file
    /// before a byte is read.
    public static func open(_ path: String, followLinks: Bool = true, maxBytes: Int? = nil) throws(Refusal) -> Opened {
        // O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer;
        // for a regular file it changes nothing.
        let flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW)
        let fd = Glibc.open(path, flags)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: throw .missing
            case ELOOP where !followLinks: throw .link
            case EISDIR: throw .directory
            default: throw .unreadable(String(cString: strerror(code)))
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .unreadable(reason)
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            close(fd)
            switch kind {
            case S_IFDIR: throw .directory
            case S_IFIFO: throw .special("FIFO")
            case S_IFSOCK: throw .special("socket")
            case S_IFCHR, S_IFBLK: throw .special("device")
            default: throw .special("special file")
            }
        }
        let size = Int64(info.st_size)
        if let maxBytes, size > Int64(maxBytes) {
            close(fd)
            throw .tooLarge(size: size, limit: maxBytes)
        }
        return Opened(handle: FileHandle(fileDescriptor: fd, closeOnDealloc: true), size: size, status: info)
    }

    /// The whole of a regular file of at most `maxBytes` (one byte past the limit is read, so a
    /// file that grows while it is read is refused too).
    public static func read(_ path: String, followLinks: Bool = true, maxBytes: Int) throws(Refusal) -> Data {
        let opened = try open(path, followLinks: followLinks, maxBytes: maxBytes)
        defer { try? opened.handle.close() }
        let data: Data
        do {
            data = try opened.handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw .unreadable(error.localizedDescription)
        }
        guard data.count <= maxBytes else { throw .tooLarge(size: Int64(data.count), limit: maxBytes) }
        return data
    }

    /// What is at `path` without following a link: a regular file's size, else nil.
    public static func regularSize(_ path: String) -> Int64? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}
