import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RegistryLab
import Testing

/// `bundle`, `bundle --verify`, `serve-bundle` and `mirror --from-bundle` on the mirror lab's
/// source, with skopeo as the peer that reads the layout and the served registry.
@Suite(
    .enabled(
        if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl, .skopeo),
        "needs docker-registry, apache2-utils, openssl and skopeo (scripts/test installs them)"
    ))
struct BundleCLITests {
    static func scratch() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("bundle-\(UUID().uuidString)") }

    func bundle(_ lab: MirrorLab, _ out: URL) async throws -> Run {
        try await CLI.run(["bundle", "1.0-rc5", "--out", out.path, "--format", "json"] + lab.sourceMirrors)
    }

    @Test func aBundleIsALayoutSkopeoReadsAndAResumedRunKeepsWhatIsWhole() async throws {
        let lab = try await MirrorLab.shared.value
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try await bundle(lab, dir)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let sent = MirrorLab.totals(first)["blobsSent"] ?? 0
        #expect(sent > 20 && MirrorLab.images(first).allSatisfy { $0["outcome"] as? String == "copied" })
        let verify = try await CLI.run(["bundle", "--verify", dir.path])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok: 12 images,"), "\(verify.stdout)")
        let index = try String(contentsOf: dir.appendingPathComponent("index.json"), encoding: .utf8)
        #expect(index.contains(#""org.opencontainers.image.ref.name" : "ghcr.io/nine-minds/alga-psa-ee:a2cbb430""#), "\(index)")

        // skopeo copies the index out of the layout to a registry, every platform, byte for byte.
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let host = target.look.baseURL.dropFirst("http://".count)
        let copy = try await Subprocess.run(
            SystemTool.skopeo.path ?? "skopeo",
            [
                "copy", "--all", "--preserve-digests", "--dest-tls-verify=false", "oci:\(dir.path):ghcr.io/nine-minds/alga-psa-ee:a2cbb430",
                "docker://\(host)/nine-minds/alga-psa-ee:a2cbb430",
            ])
        #expect(copy.status == 0, "\(copy.stderr)")
        let copied = try await MirrorLab.raw("\(host)/nine-minds/alga-psa-ee:a2cbb430")
        #expect(
            copied == (try await MirrorLab.raw("\(lab.source.open.baseURL.dropFirst("http://".count))/nine-minds/alga-psa-ee:a2cbb430"))
                && copied.contains("image.index"))

        // A rerun sends nothing; a blob that rotted is named by --verify and written again.
        let again = try await bundle(lab, dir)
        #expect(MirrorLab.totals(again)["blobsSent"] == 0, "\(MirrorLab.totals(again))")
        let blobs = dir.appendingPathComponent("blobs/sha256")
        // The largest file: email-service's 3 MB layer (a blob, not a manifest).
        let victim = try #require(
            try FileManager.default.contentsOfDirectory(atPath: blobs.path).max { a, b in
                let size = { (name: String) in (try? FileManager.default.attributesOfItem(atPath: blobs.appendingPathComponent(name).path)[.size] as? Int) ?? 0
                }
                return size(a) < size(b)
            })
        let file = blobs.appendingPathComponent(victim)
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: file)
        let broken = try await CLI.run(["bundle", "--verify", dir.path])
        #expect(broken.status == 1 && broken.stdout.contains("FAIL \(file.path): its bytes do not hash to its name"), "\(broken.stdout)")
        let repaired = try await bundle(lab, dir)
        #expect(repaired.status == 0 && MirrorLab.totals(repaired)["blobsSent"] == 1, "\(MirrorLab.totals(repaired))")
        #expect(try await CLI.run(["bundle", "--verify", dir.path]).status == 0)

        // A blob gone: the reference that names it is said to be broken.
        try FileManager.default.removeItem(at: file)
        let missing = try await CLI.run(["bundle", "--verify", dir.path, "--format", "json"])
        #expect(missing.status == 1 && missing.stdout.contains("is not in the bundle"), "\(missing.stdout)")
    }

    @Test func aTarBundleIsWhatSkopeoReadsAsAnArchive() async throws {
        let lab = try await MirrorLab.shared.value
        let dir = Self.scratch()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tar = dir.appendingPathComponent("alga.tar")
        let run = try await bundle(lab, tar)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["alga.tar"], "the folder is gone once the tar is whole")
        let inspect = try await Subprocess.run(SystemTool.skopeo.path ?? "skopeo", ["inspect", "oci-archive:\(tar.path):docker.io/library/redis:7.4"])
        #expect(inspect.status == 0 && inspect.stdout.contains("\"Architecture\": \"amd64\""), "\(inspect.stderr)")
        let list = try await Subprocess.run("/bin/tar", ["-tf", tar.path])
        #expect(list.status == 0 && list.stdout.hasPrefix("oci-layout\nindex.json\nblobs/\nblobs/sha256/\n"), "\(list.stdout.prefix(200))")
    }

    /// serve-bundle answers as a registry: the gate and skopeo find every image; traversal, unknown
    /// names, tags and digests get the registry's errors; ranges are exact; writes are refused.
    @Test func aServedBundleIsARegistry() async throws {
        let lab = try await MirrorLab.shared.value
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try await bundle(lab, dir).status == 0)
        let (server, port) = try await BundleHardeningCLITests.serve(dir)
        defer { server.terminate() }
        let base = "http://127.0.0.1:\(port)"

        let atSource = try await MirrorLab.digests(at: lab.source.open.baseURL)
        #expect(try await MirrorLab.digests(at: base) == atSource, "check --mirror against serve-bundle finds every image with the source's digests")
        let served = try await MirrorLab.raw("127.0.0.1:\(port)/nine-minds/alga-psa-ee:a2cbb430")
        #expect(
            served == (try await MirrorLab.raw("\(lab.source.open.baseURL.dropFirst("http://".count))/nine-minds/alga-psa-ee:a2cbb430"))
                && served.contains("image.index"))

        func get(_ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = []) async throws -> (Int, String, HTTPHeaders) {
            var request = HTTPClientRequest(url: base + path)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response = try await lab.http.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: body), response.headers)
        }
        let zero = "sha256:" + String(repeating: "0", count: 64)
        for (path, status, code) in [
            ("/v2/nope/manifests/1", 404, "NAME_UNKNOWN"), ("/v2/nine-minds/alga-psa-ee/manifests/nope", 404, "MANIFEST_UNKNOWN"),
            ("/v2/nine-minds/alga-psa-ee/manifests/\(zero)", 404, "MANIFEST_UNKNOWN"), ("/v2/nine-minds/alga-psa-ee/blobs/\(zero)", 404, "BLOB_UNKNOWN"),
            ("/v2/nine-minds/alga-psa-ee/blobs/sha256:..%2F..%2Findex.json", 400, "DIGEST_INVALID"),
            ("/v2/..%2F..%2Fetc/blobs/\(zero)", 400, "NAME_INVALID"), ("/v2/../../etc/passwd/blobs/\(zero)", 400, "NAME_INVALID"),
        ] {
            let (got, body, _) = try await get(path)
            #expect(got == status && body.contains(#""code":"\#(code)""#), "\(path): \(got) \(body)")
        }
        let (put, putBody, _) = try await get("/v2/nine-minds/alga-psa-ee/manifests/x", method: .PUT)
        #expect(put == 405 && putBody.contains("UNSUPPORTED"))

        // A blob: HEAD says its length; a range is exactly those bytes.
        let blobs = dir.appendingPathComponent("blobs/sha256")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: blobs.path).first)
        let whole = try Data(contentsOf: blobs.appendingPathComponent(name))
        let (head, _, headHeaders) = try await get("/v2/nine-minds/alga-psa-ee/blobs/sha256:\(name)", method: .HEAD)
        #expect(
            head == 200 && headHeaders.first(name: "Content-Length") == "\(whole.count)" && headHeaders.first(name: "Docker-Content-Digest") == "sha256:\(name)"
        )
        var request = HTTPClientRequest(url: base + "/v2/nine-minds/alga-psa-ee/blobs/sha256:\(name)")
        request.headers.add(name: "Range", value: "bytes=10-19")
        let part = try await lab.http.execute(request, timeout: .seconds(10))
        let partBody = try await part.body.collect(upTo: 1 << 20)
        #expect(
            part.status.code == 206 && Data(buffer: partBody) == whole[10...19] && part.headers.first(name: "Content-Range") == "bytes 10-19/\(whole.count)")

        // mirror --from-bundle pushes all of it without the source.
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let pushed = try await CLI.run(
            ["mirror", "--from-bundle", dir.path, "--to", target.push.baseURL, "--format", "json"] + target.credentials, stdin: Data(MirrorLab.password.utf8))
        #expect(pushed.status == 0, "\(pushed.stdout)\(pushed.stderr)")
        #expect(try await MirrorLab.digests(at: target.look.baseURL) == atSource)
    }
}
