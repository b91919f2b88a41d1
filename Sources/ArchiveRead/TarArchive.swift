import CompressNIO
import Foundation
import NIOCore
import NIOFoundationCompat

#if canImport(Glibc)
import Glibc
#endif

/// A `.tar.gz` from outside (a Flux config bundle's layer, a Helm chart), read within bounds and
/// written only inside its folder: regular files and folders only (a link, a device, a FIFO or a
/// hard link is refused, whatever it names), no absolute name, no `..`, caps on entries, bytes
/// and the expansion ratio (a gzip bomb), each refusal naming the entry and the cap. Reading is
/// pure (bytes in, entries out); `extract` is the one place that writes.
public enum TarArchive {
    public struct Limits: Sendable, Equatable {
        public var maxEntries: Int
        /// Bytes of the whole archive once inflated.
        public var maxBytes: Int
        /// Inflated bytes per compressed byte, past the first MiB (ordinary text inflates 3-10x).
        public var maxRatio: Int

        /// 10,000 entries, 64 MiB, 200x: far past a config bundle or a chart, far below a bomb.
        public static let standard = Limits(maxEntries: 10_000, maxBytes: 64 << 20, maxRatio: 200)

        public init(maxEntries: Int, maxBytes: Int, maxRatio: Int) {
            self.maxEntries = maxEntries
            self.maxBytes = maxBytes
            self.maxRatio = maxRatio
        }
    }

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case notGzip(String)
        case tooLarge(limit: Int)
        case bomb(compressed: Int, ratio: Int)
        case notTar(String)
        case tooManyEntries(limit: Int)
        case unsafeName(String)
        case notAFile(name: String, kind: String)
        case cannotWrite(name: String, reason: String)

        public var description: String {
            switch self {
            case .notGzip(let why): "is not gzip data (\(why))"
            case .tooLarge(let limit): "inflates past \(limit >> 20) MiB, more than an archive of this kind holds"
            case .bomb(let compressed, let ratio): "inflates more than \(ratio) times its \(compressed) bytes: a gzip bomb, not an archive"
            case .notTar(let why): "is not a tar archive (\(why))"
            case .tooManyEntries(let limit): "has more than \(limit) entries"
            case .unsafeName(let name): "has an entry \(Self.shown(name)) that would be written outside its folder (an absolute name or ..)"
            case .notAFile(let name, let kind): "has an entry \(Self.shown(name)) that is a \(kind); only files and folders are extracted"
            case .cannotWrite(let name, let reason): "cannot write \(Self.shown(name)): \(reason)"
            }
        }

        static func shown(_ name: String) -> String { "\"\(name.count > 120 ? String(name.prefix(120)) + "…" : name)\"" }
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var isDirectory: Bool
        public var bytes: Data
    }

    /// The inflated bytes of gzip `data`, within the caps.
    public static func gunzip(_ data: Data, limits: Limits = .standard) throws(Refusal) -> Data {
        let (ratioCap, overflow) = data.count.multipliedReportingOverflow(by: limits.maxRatio)
        let cap = min(limits.maxBytes, overflow ? Int.max : ratioCap &+ (1 << 20))
        var buffer = ByteBuffer(bytes: data)
        do {
            let out = try buffer.decompress(with: .gzip(), maxSize: cap)
            return Data(buffer: out)
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw cap == limits.maxBytes ? .tooLarge(limit: limits.maxBytes) : .bomb(compressed: data.count, ratio: limits.maxRatio)
        } catch {
            throw .notGzip("\(error)")
        }
    }

    /// The entries of tar `bytes` (ustar, with pax and GNU long names), every name checked.
    public static func entries(_ bytes: Data, limits: Limits = .standard) throws(Refusal) -> [Entry] {
        let data = [UInt8](bytes)
        var entries: [Entry] = []
        var offset = 0
        var longName: String?
        var paxPath: String?
        while offset + 512 <= data.count {
            let header = data[offset..<offset + 512]
            if header.allSatisfy({ $0 == 0 }) { break }
            guard let size = octal(header, 124, 12) else { throw .notTar("a header at \(offset) has no size") }
            guard verifyChecksum(header) else { throw .notTar("a header at \(offset) fails its checksum") }
            let start = offset + 512
            let (padded, overflow) = size.addingReportingOverflow((512 - size % 512) % 512)
            guard !overflow, padded <= data.count - start else { throw .notTar("an entry at \(offset) runs past the end") }
            let body = data[start..<start + size]
            offset = start + padded
            let type = header[header.startIndex + 156]
            switch type {
            case UInt8(ascii: "x"):
                paxPath = paxValue(body, key: "path") ?? paxPath
                continue
            case UInt8(ascii: "g"): continue
            case UInt8(ascii: "L"):
                longName = String(decoding: body.prefix { $0 != 0 }, as: UTF8.self)
                continue
            default: break
            }
            let name = paxPath ?? longName ?? fullName(header)
            paxPath = nil
            longName = nil
            guard entries.count < limits.maxEntries else { throw .tooManyEntries(limit: limits.maxEntries) }
            guard let clean = safeName(name) else { throw .unsafeName(name) }
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): entries.append(Entry(name: clean, isDirectory: false, bytes: Data(body)))
            case UInt8(ascii: "5"): entries.append(Entry(name: clean, isDirectory: true, bytes: Data()))
            default: throw .notAFile(name: name, kind: kindName(type))
            }
        }
        return entries
    }

    /// `name` relative and inside its folder (`./a/b` is `a/b`), or nil.
    static func safeName(_ name: String) -> String? {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\0"), !name.contains("\\") else { return nil }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !parts.isEmpty, !parts.contains("..") else { return nil }
        return parts.joined(separator: "/")
    }

    static func kindName(_ type: UInt8) -> String {
        switch type {
        case UInt8(ascii: "1"): "hard link"
        case UInt8(ascii: "2"): "symbolic link"
        case UInt8(ascii: "3"), UInt8(ascii: "4"): "device"
        case UInt8(ascii: "6"): "FIFO"
        default: "tar entry of type \(type < 32 || type > 126 ? "\(type)" : String(UnicodeScalar(type)))"
        }
    }

    static func octal(_ header: ArraySlice<UInt8>, _ at: Int, _ length: Int) -> Int? {
        let field = header[(header.startIndex + at)..<(header.startIndex + at + length)]
        var value = 0
        var digits = 0
        for byte in field {
            if byte == 0 || byte == UInt8(ascii: " ") { if digits > 0 { break } else { continue } }
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 8)
            guard !overflow else { return nil }
            value = shifted + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    static func verifyChecksum(_ header: ArraySlice<UInt8>) -> Bool {
        guard let stated = octal(header, 148, 8) else { return false }
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        return sum == stated
    }

    static func string(_ header: ArraySlice<UInt8>, _ at: Int, _ length: Int) -> String {
        String(decoding: header[(header.startIndex + at)..<(header.startIndex + at + length)].prefix { $0 != 0 }, as: UTF8.self)
    }

    /// ustar's prefix and name.
    static func fullName(_ header: ArraySlice<UInt8>) -> String {
        let name = string(header, 0, 100)
        let magic = string(header, 257, 6)
        let prefix = magic.hasPrefix("ustar") ? string(header, 345, 155) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// A pax extended header's record (`LEN key=value\n`).
    static func paxValue(_ body: ArraySlice<UInt8>, key: String) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        for record in text.split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let pair = record[record.index(after: space)...]
            if pair.hasPrefix(key + "=") { return String(pair.dropFirst(key.count + 1)) }
        }
        return nil
    }

    /// Writes the entries under `folder` (which must exist and be empty: made for this archive),
    /// never through a link (each file is created new, O_EXCL|O_NOFOLLOW).
    public static func extract(_ entries: [Entry], into folder: URL) throws(Refusal) {
        let fm = FileManager.default
        for entry in entries {
            guard let name = safeName(entry.name) else { throw .unsafeName(entry.name) }
            let url = folder.appendingPathComponent(name)
            do {
                if entry.isDirectory {
                    try fm.createDirectory(at: url, withIntermediateDirectories: true)
                    continue
                }
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw .cannotWrite(name: name, reason: "\(error.localizedDescription)")
            }
            let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .cannotWrite(name: name, reason: String(cString: strerror(errno)) + " (an entry twice?)") }
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            do {
                try handle.write(contentsOf: entry.bytes)
                try handle.close()
            } catch {
                throw .cannotWrite(name: name, reason: error.localizedDescription)
            }
        }
    }

    /// Gunzip, read and extract `data` into a new folder under `parent`; the folder's URL.
    public static func unpack(_ data: Data, into parent: URL, limits: Limits = .standard) throws(Refusal) -> URL {
        let entries = try entries(try gunzip(data, limits: limits), limits: limits)
        let folder = parent.appendingPathComponent("archive-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw .cannotWrite(name: folder.path, reason: error.localizedDescription)
        }
        try extract(entries, into: folder)
        return folder
    }
}
