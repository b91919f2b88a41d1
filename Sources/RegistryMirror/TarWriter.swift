import Foundation
import ReleaseModel
import TextFormat

/// Writes a bundle's folder as one POSIX ustar file (`bundle --out FILE.tar`, what
/// `skopeo copy oci-archive:` and `tar` read): a header of 512 bytes per file, its bytes padded to
/// 512, two empty blocks at the end; read and written a mebibyte at a time. Written to a temporary
/// file and renamed, so the tar appears whole or not at all.
enum TarWriter {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `files` are paths relative to `root`, in the order they go in.
    static func write(_ files: [String], from root: URL, to tar: URL) throws {
        let partial = tar.deletingLastPathComponent().appendingPathComponent(".\(tar.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil), let out = try? FileHandle(forWritingTo: partial) else {
            throw Failure(description: "cannot write \(partial.path)")
        }
        do {
            var directories = Set<String>()
            for file in files {
                // Each folder once, before what is in it.
                var parts = file.split(separator: "/").dropLast().map(String.init)
                var prefix = ""
                while !parts.isEmpty {
                    prefix += parts.removeFirst() + "/"
                    if directories.insert(prefix).inserted { try out.write(contentsOf: header(name: prefix, size: 0, directory: true)) }
                }
                let url = root.appendingPathComponent(file)
                // Only regular files go in, never what a link names.
                let opened: RegularFile.Opened
                do { opened = try RegularFile.open(url.path, followLinks: false) } catch {
                    throw Failure(description: "\(url.path) \(error)")
                }
                let input = opened.handle
                defer { try? input.close() }
                guard let size = Int(exactly: opened.size) else { throw Failure(description: "\(url.path) is too large for a tar") }
                try out.write(contentsOf: header(name: file, size: size, directory: false))
                var written = 0
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                    try out.write(contentsOf: chunk)
                    written += chunk.count
                }
                guard written == size else { throw Failure(description: "\(url.path) changed while it was written") }
                let pad = (512 - size % 512) % 512
                if pad > 0 { try out.write(contentsOf: Data(count: pad)) }
            }
            try out.write(contentsOf: Data(count: 1024))
            try out.close()
            guard rename(partial.path, tar.path) == 0 else { throw Failure(description: "cannot rename into \(tar.path)") }
        } catch {
            try? out.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// A ustar header. Names in a bundle are short (`blobs/sha256/` and 64 hex digits); sizes past
    /// the 11 octal digits (8 GiB) are written in base 256, as GNU and POSIX readers take them.
    static func header(name: String, size: Int, directory: Bool) throws -> Data {
        guard name.utf8.count <= 100 else { throw Failure(description: "\(name) is longer than a tar name") }
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, length: Int) {
            for (i, byte) in text.utf8.prefix(length).enumerated() { block[offset + i] = byte }
        }
        func octal(_ value: Int, at offset: Int, length: Int) {
            put(Digits.padded(value, radix: 8, width: length - 1), at: offset, length: length - 1)
        }
        put(name, at: 0, length: 100)
        octal(directory ? 0o755 : 0o644, at: 100, length: 8)
        octal(0, at: 108, length: 8)
        octal(0, at: 116, length: 8)
        if size < 0o77777777777 {
            octal(size, at: 124, length: 12)
        } else {
            block[124] = 0x80
            var rest = UInt64(size)
            for i in stride(from: 135, to: 124, by: -1) {
                block[i] = UInt8(rest & 0xFF)
                rest >>= 8
            }
        }
        octal(0, at: 136, length: 12)
        block[156] = directory ? UInt8(ascii: "5") : UInt8(ascii: "0")
        put("ustar", at: 257, length: 6)
        put("00", at: 263, length: 2)
        // The checksum is of the header with its own field as spaces.
        for i in 148..<156 { block[i] = UInt8(ascii: " ") }
        let sum = block.reduce(0) { $0 + Int($1) }
        put(Digits.padded(sum, radix: 8, width: 6), at: 148, length: 6)
        block[154] = 0
        block[155] = UInt8(ascii: " ")
        return Data(block)
    }
}
