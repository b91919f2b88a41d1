import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import RegistryLab
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `bundle`, `bundle --verify`, `serve-bundle` and `mirror --from-bundle` on hostile bundles and
/// hostile clients (issue 28): only regular files are read, sizes before bytes, nothing of the
/// user's is deleted, idle clients cannot starve a pull, and a file changed on disk is never
/// served under its old digest.
@Suite(
    .enabled(
        if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl, .skopeo),
        "needs docker-registry, apache2-utils, openssl and skopeo (scripts/test installs them)"
    ))
struct BundleHardeningCLITests {
    /// One bundle of the mirror lab's release, written once; each test works on its own copy.
    static let pristine = Task { () throws -> URL in
        let lab = try await MirrorLab.shared.value
        let dir = BundleCLITests.scratch()
        let run = try await CLI.run(["bundle", "1.0-rc5", "--out", dir.path, "--format", "json"] + lab.sourceMirrors)
        guard run.status == 0 else { throw BundleFailure(description: "bundle failed: \(run.stdout)\(run.stderr)") }
        return dir
    }

    struct BundleFailure: Error, CustomStringConvertible { var description: String }

    static func copy() async throws -> URL {
        let dir = BundleCLITests.scratch()
        try FileManager.default.copyItem(at: try await pristine.value, to: dir)
        return dir
    }

    static func blobs(_ dir: URL) -> URL { dir.appendingPathComponent("blobs/sha256") }

    /// The largest blob's name (email-service's 3 MB layer).
    static func largest(_ dir: URL) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: blobs(dir).path)
        return try #require(
            names.max { a, b in
                let size = { (name: String) in
                    (try? FileManager.default.attributesOfItem(atPath: blobs(dir).appendingPathComponent(name).path)[.size] as? Int) ?? 0
                }
                return size(a) < size(b)
            })
    }

    @Test func verifyReadsSizesBeforeBytesAndOnlyRegularFiles() async throws {
        let dir = try await Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A blob that is a link to a file with the right bytes, one that is a FIFO, one that is a
        // link to /dev/zero, one that is a folder: each named, and the run ends.
        let name = try Self.largest(dir)
        let kept = dir.appendingPathComponent("kept-elsewhere")
        try FileManager.default.moveItem(at: Self.blobs(dir).appendingPathComponent(name), to: kept)
        try FileManager.default.createSymbolicLink(at: Self.blobs(dir).appendingPathComponent(name), withDestinationURL: kept)
        let fifo = String(repeating: "1", count: 64)
        #expect(mkfifo(Self.blobs(dir).appendingPathComponent(fifo).path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: Self.blobs(dir).appendingPathComponent(String(repeating: "2", count: 64)).path, withDestinationPath: "/dev/zero")
        try FileManager.default.createDirectory(
            at: Self.blobs(dir).appendingPathComponent(String(repeating: "3", count: 64)), withIntermediateDirectories: false)
        let started = ContinuousClock.now
        let verify = try await CLI.run(["bundle", "--verify", dir.path])
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        for (blob, says) in [
            (name, "symbolic link"), (fifo, "FIFO"), (String(repeating: "2", count: 64), "symbolic link"), (String(repeating: "3", count: 64), "directory"),
        ] {
            #expect(verify.stdout.contains("\(blob): is a \(says)"), "\(blob): \(verify.stdout)")
        }
        // A 2 GiB sparse index.json is refused by its size, not read.
        let index = dir.appendingPathComponent("index.json")
        try FileManager.default.removeItem(at: index)
        #expect(FileManager.default.createFile(atPath: index.path, contents: nil))
        #expect(truncate(index.path, 2 << 30) == 0)
        let sparse = ContinuousClock.now
        let huge = try await CLI.run(["bundle", "--verify", dir.path])
        #expect(ContinuousClock.now - sparse < .seconds(30))
        #expect(huge.status == 1 && huge.stdout.contains("index.json: missing, not a regular file of at most 4 MiB"), "\(huge.stdout)")
        // And serve-bundle refuses it the same way.
        let serve = try await CLI.run(["serve-bundle", dir.path, "--port", "0"])
        #expect(serve.status == 2 && serve.stderr.contains("larger than 4 MiB"), "\(serve.stderr)")
    }

    /// `--out X.tar` works in X.tar.d only when an earlier run made it; a folder of the user's
    /// there is refused and left as it is, and the tar holds only the bundle's own files.
    @Test func aTarBundleNeverDeletesWhatItDidNotMake() async throws {
        let lab = try await MirrorLab.shared.value
        let scratch = BundleCLITests.scratch()
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let tar = scratch.appendingPathComponent("site.tar")
        let theirs = URL(fileURLWithPath: tar.path + ".d")
        try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
        try "my notes".write(to: theirs.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let refused = try await CLI.run(["bundle", "1.0-rc5", "--out", tar.path] + lab.sourceMirrors)
        #expect(refused.status == 2 && refused.stderr.contains("is not a folder an earlier bundle run made"), "\(refused.stderr)")
        #expect(try String(contentsOf: theirs.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes")
        #expect(!FileManager.default.fileExists(atPath: tar.path))

        // A working folder of an earlier run, with a file someone put among the blobs.
        try FileManager.default.removeItem(at: theirs)
        let interrupted = try await CLI.run(["bundle", "1.0-rc5", "--out", tar.path, "--timeout", "0.05"] + lab.sourceMirrors)
        #expect(interrupted.status != 0 && FileManager.default.fileExists(atPath: theirs.appendingPathComponent(".alga-release-bundle").path))
        try FileManager.default.createDirectory(at: Self.blobs(theirs), withIntermediateDirectories: true)
        try "not a blob".write(to: Self.blobs(theirs).appendingPathComponent("README"), atomically: true, encoding: .utf8)
        let run = try await CLI.run(["bundle", "1.0-rc5", "--out", tar.path] + lab.sourceMirrors)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let list = try await Subprocess.run("/usr/bin/tar", ["-tf", tar.path])
        #expect(list.status == 0 && !list.stdout.contains("README") && list.stdout.contains("index.json"), "\(list.stdout)")
        #expect(
            list.stdout.split(separator: "\n").filter { $0.hasPrefix("blobs/sha256/") && $0.count > "blobs/sha256/".count }.allSatisfy { $0.count == 13 + 64 })
        // What the runs made is gone; the file they did not make is where it was.
        #expect(try String(contentsOf: Self.blobs(theirs).appendingPathComponent("README"), encoding: .utf8) == "not a blob")
        #expect(!FileManager.default.fileExists(atPath: theirs.appendingPathComponent("index.json").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: Self.blobs(theirs).path) == ["README"])
    }

    /// serve-bundle running at `dir`, and its base URL.
    static func serve(_ dir: URL, _ extra: [String] = []) async throws -> (Subprocess, Int) {
        let port = try RegistryProcess.freePort()
        let server = try Subprocess(CLI.binary, ["serve-bundle", dir.path, "--port", "\(port)"] + extra)
        var up = false
        for _ in 0..<100 where !up {
            try await Task.sleep(for: .milliseconds(100))
            up = RegistryProcess.canConnect(port: port)
        }
        #expect(up, "serve-bundle listens")
        return (server, port)
    }

    /// A TCP connection to the port that sends `text` and then nothing (or a header line every
    /// 200 ms while `trickle`).
    static func connect(_ port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return fd
    }

    static func send(_ fd: Int32, _ text: String) { _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }

    /// Every slot held by idle connections and a slowloris trickling header bytes: a pull still
    /// gets through, within seconds.
    @Test func idleAndSlowClientsDoNotStarveAPull() async throws {
        let lab = try await MirrorLab.shared.value
        let dir = try await Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, port) = try await Self.serve(dir, ["--max-connections", "8"])
        defer { server.terminate() }
        var held: [Int32] = []
        defer { for fd in held { close(fd) } }
        for _ in 0..<8 { held.append(Self.connect(port)) }
        let slow = Self.connect(port)
        held.append(slow)
        Self.send(slow, "GET /v2/ HTTP/1.1\r\nHost: x\r\n")
        let trickle = Task {
            for index in 0..<100 {
                try await Task.sleep(for: .milliseconds(200))
                Self.send(slow, "X-Slow-\(index): y\r\n")
            }
        }
        defer { trickle.cancel() }
        try await Task.sleep(for: .milliseconds(500))
        let started = ContinuousClock.now
        let answer = try await lab.http.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/v2/nine-minds/alga-psa-ee/manifests/a2cbb430"), timeout: .seconds(15))
        #expect(answer.status == .ok)
        _ = try await answer.body.collect(upTo: 1 << 20)
        #expect(ContinuousClock.now - started < .seconds(5), "a pull waited \(ContinuousClock.now - started) behind idle connections")
        // The slowloris is cut by the head deadline however long it trickles.
        try await Task.sleep(for: .seconds(11))
        var byte: UInt8 = 0
        let read = recv(slow, &byte, 1, Int32(MSG_DONTWAIT))
        #expect(read == 0 || (read < 0 && errno != EAGAIN), "the slow connection is closed (recv \(read), errno \(errno))")
    }

    /// A blob file rewritten on disk while the bundle is served is never sent whole under its old
    /// digest: a full GET is cut before its last chunk, a range answers 500.
    @Test func aBlobChangedOnDiskIsNotServedUnderItsDigest() async throws {
        let lab = try await MirrorLab.shared.value
        let dir = try await Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, port) = try await Self.serve(dir)
        defer { server.terminate() }
        let name = try Self.largest(dir)
        let url = "http://127.0.0.1:\(port)/v2/nine-minds/email-service/blobs/sha256:\(name)"
        let good = try await lab.http.execute(HTTPClientRequest(url: url), timeout: .seconds(15))
        let bytes = try await good.body.collect(upTo: 16 << 20)
        #expect(good.status == .ok && "sha256:" + SHA256.hash(data: Data(buffer: bytes)).map { String(format: "%02x", $0) }.joined() == "sha256:\(name)")
        // Same size, other bytes, written in place.
        let file = Self.blobs(dir).appendingPathComponent(name)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data(repeating: 0x41, count: 64))
        try handle.close()
        var whole: Data?
        do {
            let again = try await lab.http.execute(HTTPClientRequest(url: url), timeout: .seconds(15))
            whole = Data(buffer: try await again.body.collect(upTo: 16 << 20))
        } catch {
            whole = nil
        }
        #expect(whole == nil || whole?.count != bytes.readableBytes, "the changed blob was sent whole: \(whole?.count ?? -1) bytes")
        var ranged = HTTPClientRequest(url: url)
        ranged.headers.add(name: "Range", value: "bytes=0-99")
        let part = try await lab.http.execute(ranged, timeout: .seconds(15))
        #expect(part.status == .internalServerError, "\(part.status)")
    }

    /// A bundle whose index names no usable image is an error, never a pass of nothing.
    @Test func mirrorFromABundleOfNothingIsAnError() async throws {
        let dir = try await Self.copy()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let index = dir.appendingPathComponent("index.json")
        let text = try String(contentsOf: index, encoding: .utf8)
        try text.replacingOccurrences(of: "org.opencontainers.image.ref.name", with: "org.example.other").write(to: index, atomically: true, encoding: .utf8)
        let unnamed = try await CLI.run(
            ["mirror", "--from-bundle", dir.path, "--to", target.push.baseURL] + target.credentials, stdin: Data(MirrorLab.password.utf8))
        #expect(unnamed.status == 2 && unnamed.stderr.contains("without an image reference"), "\(unnamed.stdout)\(unnamed.stderr)")
        try #"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []}"#.write(
            to: index, atomically: true, encoding: .utf8)
        let empty = try await CLI.run(
            ["mirror", "--from-bundle", dir.path, "--to", target.push.baseURL] + target.credentials, stdin: Data(MirrorLab.password.utf8))
        #expect(empty.status == 2 && empty.stderr.contains("names no image"), "\(empty.stdout)\(empty.stderr)")
    }
}
