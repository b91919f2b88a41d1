import ArchiveRead
import CompressNIO
import Foundation
import NIOCore
import Testing

/// A .tar.gz from outside, read within caps and written only inside its folder.
@Suite struct TarArchiveTests {
    /// One ustar header and body, as any tar writes them (`type` "0" file, "5" folder, "2" link...).
    static func entry(_ name: String, _ body: [UInt8] = [], type: Character = "0", link: String = "") -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ at: Int, _ length: Int) { for (i, b) in text.utf8.prefix(length).enumerated() { header[at + i] = b } }
        put(name, 0, 100)
        put("0000644", 100, 8)
        put("0000000", 108, 8)
        put("0000000", 116, 8)
        put(String(format: "%011o", body.count), 124, 12)
        put("00000000000", 136, 12)
        header[156] = UInt8(ascii: type.unicodeScalars.first ?? "0")
        put(link, 157, 100)
        put("ustar", 257, 6)
        put("00", 263, 2)
        for i in 148..<156 { header[i] = 32 }
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum) + "\0 ", 148, 8)
        let pad = (512 - body.count % 512) % 512
        return header + body + [UInt8](repeating: 0, count: pad)
    }

    static func archive(_ entries: [[UInt8]]) -> Data { Data(entries.flatMap { $0 } + [UInt8](repeating: 0, count: 1024)) }

    static func gzip(_ data: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        return Data(buffer: try buffer.compress(with: .gzip()))
    }

    @Test func filesAndFoldersAreRead() throws {
        let tar = Self.archive([Self.entry("base/", type: "5"), Self.entry("./base/kustomization.yaml", Array("resources: []\n".utf8))])
        let entries = try TarArchive.entries(try TarArchive.gunzip(try Self.gzip(tar)))
        #expect(entries.map(\.name) == ["base", "base/kustomization.yaml"])
        #expect(entries.last?.bytes == Data("resources: []\n".utf8))
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("tar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        let folder = try TarArchive.unpack(try Self.gzip(tar), into: parent)
        #expect(try String(contentsOf: folder.appendingPathComponent("base/kustomization.yaml"), encoding: .utf8) == "resources: []\n")
    }

    /// An archive Python's tarfile wrote (pax format, a 166-character name): read as it wrote it.
    @Test func aPaxArchiveOfAnotherWriterIsRead() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "Fixtures/fuzz/archive/bundle.tar.gz")
        let entries = try TarArchive.entries(try TarArchive.gunzip(try Data(contentsOf: file)))
        #expect(
            entries.map(\.name) == [
                "base/kustomization.yaml", "profiles/single-node/values/alga-core.single-node.yaml", String(repeating: "x", count: 150) + "/long-name.yaml",
            ])
        #expect(entries.last?.bytes == Data("k: v\n".utf8))
    }

    @Test(arguments: [
        ("an absolute name", Self.entry("/etc/cron.d/x", [1]), "outside its folder"),
        ("a name that climbs", Self.entry("base/../../x", [1]), "outside its folder"),
        ("a symbolic link", Self.entry("base/link", type: "2", link: "/etc/passwd"), "symbolic link"),
        ("a hard link", Self.entry("base/hard", type: "1", link: "/etc/passwd"), "hard link"),
        ("a device", Self.entry("base/dev", type: "3"), "device"),
        ("a FIFO", Self.entry("base/fifo", type: "6"), "FIFO"),
    ])
    func hostileEntriesAreRefused(what: String, entry: [UInt8], says: String) throws {
        do {
            _ = try TarArchive.entries(Self.archive([Self.entry("ok.txt", [1]), entry]))
            Issue.record("\(what): read")
        } catch {
            #expect(error.description.contains(says), "\(what): \(error)")
        }
    }

    @Test func aGzipBombIsRefusedByItsRatio() throws {
        // 64 MiB of zeros compress to about 64 KB: past 200x.
        let bomb = try Self.gzip(Data(count: 64 << 20))
        #expect(bomb.count < 200_000)
        #expect(throws: TarArchive.Refusal.bomb(compressed: bomb.count, ratio: 200)) { _ = try TarArchive.gunzip(bomb) }
        let small = TarArchive.Limits(maxEntries: 10, maxBytes: 1 << 20, maxRatio: 10_000)
        #expect(throws: TarArchive.Refusal.tooLarge(limit: 1 << 20)) { _ = try TarArchive.gunzip(bomb, limits: small) }
    }

    @Test func brokenArchivesSaySo() throws {
        #expect(throws: TarArchive.Refusal.self) { _ = try TarArchive.gunzip(Data("not gzip".utf8)) }
        var header = Self.entry("a", [1, 2, 3])
        header[0] = UInt8(ascii: "b")  // the checksum no longer matches
        #expect(throws: TarArchive.Refusal.self) { _ = try TarArchive.entries(Self.archive([header])) }
        let many = TarArchive.Limits(maxEntries: 2, maxBytes: 1 << 20, maxRatio: 200)
        #expect(throws: TarArchive.Refusal.tooManyEntries(limit: 2)) {
            _ = try TarArchive.entries(Self.archive([Self.entry("a"), Self.entry("b"), Self.entry("c")]), limits: many)
        }
    }
}
