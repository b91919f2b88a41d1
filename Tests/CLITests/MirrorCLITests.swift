import Foundation
import RegistryLab
import Testing

/// `alga-release mirror` between real registries on loopback: the source behind token auth, the
/// target behind htpasswd; checked with the gate and with skopeo.
@Suite(
    .enabled(
        if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl, .skopeo),
        "needs docker-registry, apache2-utils, openssl and skopeo (scripts/test installs them)"
    ))
struct MirrorCLITests {
    @Test func everyImageArrivesWithItsDigestAndARerunSendsNothing() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let first = try await lab.mirror(lab.sourceMirrors, to: target)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(!first.stdout.contains(MirrorLab.password) && !first.stderr.contains(MirrorLab.password), "the target's password is never printed")
        let images = MirrorLab.images(first)
        #expect(images.count == 12 && images.allSatisfy { $0["outcome"] as? String == "copied" }, "\(images)")
        let totals = MirrorLab.totals(first)
        #expect((totals["blobsSent"] ?? 0) > 20 && totals["blobsSkipped"] == 0, "\(totals)")
        #expect(totals["blobsMounted"] == 1, "the two workers' shared base layer is sent once and mounted in the other repository: \(totals)")
        #expect((totals["bytesSent"] ?? 0) > 3_000_000, "email-service's 3 MB layer: \(totals)")
        let ee = try #require(images.first { ($0["ref"] as? String)?.contains("alga-psa-ee") == true })
        #expect(ee["platforms"] as? [String] == ["linux/amd64", "linux/arm64"] && ee["targetDigest"] == nil, "\(ee)")
        #expect(ee["target"] as? String == "\(target.push.baseURL.dropFirst("http://".count))/nine-minds/alga-psa-ee:a2cbb430")

        // The gate against the target finds every image, with the source's digests.
        let atSource = try await MirrorLab.digests(at: lab.source.open.baseURL)
        let atTarget = try await MirrorLab.digests(at: target.look.baseURL)
        #expect(atSource.count == 12 && atTarget == atSource, "\(atTarget)")
        // And skopeo, a peer, reads the index byte for byte.
        let there = try await MirrorLab.raw("\(target.look.baseURL.dropFirst("http://".count))/nine-minds/alga-psa-ee:a2cbb430")
        let here = try await MirrorLab.raw("\(lab.source.open.baseURL.dropFirst("http://".count))/nine-minds/alga-psa-ee:a2cbb430")
        #expect(there == here && there.contains("image.index"))

        let again = try await lab.mirror(lab.sourceMirrors, to: target)
        #expect(again.status == 0, "\(again.stderr)")
        let rerun = MirrorLab.totals(again)
        #expect(rerun["blobsSent"] == 0 && rerun["bytesSent"] == 0 && rerun["blobsSkipped"] == totals["blobsSent"].map { $0 + 1 }, "\(rerun)")
    }

    /// `--platform` copies one image out of each index: the tag names it; `--to HOST/PREFIX` puts
    /// every repository under the prefix, and the Talos patch says so.
    @Test func onePlatformUnderAPrefix() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let run = try await lab.mirror(lab.sourceMirrors + ["--platform", "linux/amd64"], to: target, prefix: "/site")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let ee = try #require(MirrorLab.images(run).first { ($0["ref"] as? String)?.contains("alga-psa-ee") == true })
        let targetDigest = try #require(ee["targetDigest"] as? String)
        #expect(ee["platforms"] as? [String] == ["linux/amd64"] && targetDigest != ee["digest"] as? String)
        let atTarget = try await MirrorLab.digests(at: target.look.baseURL, prefix: "/site")
        #expect(atTarget.count == 12, "\(atTarget)")
        #expect(atTarget["ghcr.io/nine-minds/alga-psa-ee:a2cbb430"] == targetDigest)
        let patch = try #require(MirrorLab.json(run)["talosPatch"] as? String)
        #expect(patch.contains(#""ghcr.io":"#) && patch.contains(#"- "\#(target.push.baseURL)/v2/site""#) && patch.contains("overridePath: true"), "\(patch)")
    }

    /// A source that serves a blob whose bytes are not its digest: refused, and no tag at all.
    @Test func aCorruptBlobIsRefusedAndNothingIsTagged() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let proxy = try await ForwardingProxy(upstream: lab.source.open.baseURL, http: lab.http) { path in
            path.contains("/nine-minds/email-service/blobs/sha256:") ? .corrupt : .none
        }
        let run = try await lab.mirror(["--mirror", "ghcr.io=\(proxy.baseURL)", "--mirror", "docker.io=\(proxy.baseURL)"], to: target)
        await proxy.stop()
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let images = MirrorLab.images(run)
        let email = try #require(images.first { ($0["ref"] as? String)?.contains("email-service") == true })
        #expect(email["outcome"] as? String == "corrupt" && (email["detail"] as? String)?.contains("hash to") == true, "\(email)")
        #expect(images.filter { $0["outcome"] as? String == "untagged" }.count == 11)
        #expect(try await MirrorLab.digests(at: target.look.baseURL).isEmpty, "no tag of the release is at the target")
    }

    /// A run killed outright halfway (SIGKILL, stuck on email-service's blobs): the next run sends
    /// exactly what the first did not.
    @Test func aRunKilledHalfwayIsFinishedByTheNext() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let proxy = try await ForwardingProxy(upstream: lab.source.open.baseURL, http: lab.http) { path in
            path.contains("/nine-minds/email-service/blobs/sha256:") ? .hang : .none
        }
        let mirrors = ["--mirror", "ghcr.io=\(proxy.baseURL)", "--mirror", "docker.io=\(proxy.baseURL)"]
        let running = try Subprocess(
            CLI.binary, ["mirror", "1.0-rc5", "--to", target.push.baseURL, "--format", "json"] + target.credentials + mirrors,
            stdin: Data(MirrorLab.password.utf8))
        // Until the three email-service blobs are asked for and every other blob has arrived.
        let blobs = target.directory.appendingPathComponent("storage/docker/registry/v2/blobs")
        var stable = 0
        var last = -1
        for _ in 0..<300 where stable < 10 {
            try await Task.sleep(for: .milliseconds(100))
            let asked = proxy.server.requests.filter { $0.path.contains("/email-service/blobs/") }.count
            let count = FileManager.default.enumerator(atPath: blobs.path)?.allObjects.count ?? 0
            stable = asked >= 3 && count == last ? stable + 1 : 0
            last = count
        }
        kill(running.processIdentifier, SIGKILL)
        let killed = await running.finished(timeout: .seconds(30))
        #expect(killed.status != 0)
        await proxy.stop()
        #expect(try await MirrorLab.digests(at: target.look.baseURL).isEmpty, "killed before any tag")

        let rerun = try await lab.mirror(lab.sourceMirrors, to: target)
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        let email = try #require(MirrorLab.images(rerun).first { ($0["ref"] as? String)?.contains("email-service") == true })
        #expect(email["blobsSent"] as? Int == 3, "its config and two layers: \(email)")
        #expect(MirrorLab.totals(rerun)["blobsSent"] == 3, "nothing else is sent again: \(MirrorLab.totals(rerun))")
        #expect(try await MirrorLab.digests(at: target.look.baseURL).count == 12)
    }

    /// `--timeout` bounds the whole run, bodies included: a source stuck mid-transfer ends the run
    /// as indeterminate, in time, with nothing tagged.
    @Test func theTimeoutEndsAStuckTransfer() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let proxy = try await ForwardingProxy(upstream: lab.source.open.baseURL, http: lab.http) { path in
            path.contains("/nine-minds/email-service/blobs/sha256:") ? .hang : .none
        }
        let started = ContinuousClock.now
        let run = try await lab.mirror(["--mirror", "ghcr.io=\(proxy.baseURL)", "--mirror", "docker.io=\(proxy.baseURL)", "--timeout", "3"], to: target)
        let took = ContinuousClock.now - started
        await proxy.stop()
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        #expect(took < .seconds(60), "a liveness bound, not a timing: \(took)")
        let email = try #require(MirrorLab.images(run).first { ($0["ref"] as? String)?.contains("email-service") == true })
        let detail = email["detail"] as? String ?? ""
        #expect(email["outcome"] as? String == "unreachable" && (detail.contains("--timeout") || detail.contains("timed out")), "\(email)")
        #expect(try await MirrorLab.digests(at: target.look.baseURL).isEmpty)
    }
}

/// Tags cannot be all or none at a registry (Distribution has no transaction over several): when
/// the target refuses one tag after every manifest is there, the report says exactly which tags
/// exist now and which do not, and the next run finishes them without sending a blob again.
@Suite(
    .enabled(
        if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl, .skopeo),
        "needs docker-registry, apache2-utils, openssl and skopeo (scripts/test installs them)"
    ))
struct MirrorTagCLITests {
    @Test func aRefusedTagIsNamedAndTheNextRunFinishes() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let proxy = try await ForwardingProxy(upstream: target.push.baseURL, http: lab.http) { method, path in
            method == "PUT" && path == "/v2/nine-minds/email-service/manifests/61e4a00e" ? .refuse(403) : .none
        }
        let run = try await CLI.run(
            ["mirror", "1.0-rc5", "--to", proxy.baseURL] + target.credentials + lab.sourceMirrors, stdin: Data(MirrorLab.password.utf8))
        await proxy.stop()
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("tags: 11 of 12 images are tagged at the target now"), "\(run.stdout)")
        #expect(run.stdout.contains("its manifests and blobs are at the target, its tag is not"), "\(run.stdout)")
        let there = try await MirrorLab.digests(at: target.look.baseURL)
        #expect(there.count == 11 && !there.keys.contains("ghcr.io/nine-minds/email-service:61e4a00e"), "\(there.keys.sorted())")

        let rerun = try await lab.mirror(lab.sourceMirrors, to: target)
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        #expect(MirrorLab.totals(rerun)["blobsSent"] == 0, "\(MirrorLab.totals(rerun))")
        #expect(try await MirrorLab.digests(at: target.look.baseURL).count == 12)
    }
}

/// The mirror's decisions against a source and a target that answer otherwise than expected
/// (issue 29): each is a behaviour a user would see go wrong.
@Suite(
    .enabled(
        if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl, .skopeo),
        "needs docker-registry, apache2-utils, openssl and skopeo (scripts/test installs them)"
    ))
struct MirrorDecisionCLITests {
    static func image(_ run: Run, _ name: String) -> [String: Any]? {
        MirrorLab.images(run).first { ($0["ref"] as? String)?.contains(name) == true }
    }

    /// One image whose tag the source does not have: no image is tagged at the target, not even
    /// the ones copied whole (half a release is what the appliance must never see).
    @Test func aMissingImageLeavesEveryTagOut() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let proxy = try await ForwardingProxy(upstream: lab.source.open.baseURL, http: lab.http) { _, path in
            path == "/v2/nine-minds/email-service/manifests/61e4a00e" ? .error(404, code: "MANIFEST_UNKNOWN") : .none
        }
        let run = try await lab.mirror(["--mirror", "ghcr.io=\(proxy.baseURL)", "--mirror", "docker.io=\(proxy.baseURL)"], to: target)
        await proxy.stop()
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(Self.image(run, "email-service")?["outcome"] as? String == "missing")
        #expect(MirrorLab.images(run).filter { $0["outcome"] as? String == "untagged" }.count == 11)
        #expect(try await MirrorLab.digests(at: target.look.baseURL).isEmpty, "no tag of the release is at the target")
    }

    /// A target that answers a cross-repository mount by starting an upload (202, as a registry
    /// without the source repository's blob does): the blob is sent, and the release arrives.
    @Test func aMountAnsweredWithAnUploadIsSent() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let proxy = try await ForwardingProxy(upstream: target.push.baseURL, http: lab.http) { method, path in
            guard method == "POST", path.hasSuffix("/blobs/uploads/") else { return .none }
            return .rewrite(path)
        }
        let run = try await CLI.run(
            ["mirror", "1.0-rc5", "--to", proxy.baseURL, "--format", "json"] + target.credentials + lab.sourceMirrors, stdin: Data(MirrorLab.password.utf8))
        let asked = proxy.server.requests.filter { $0.method == "POST" && $0.uri.contains("mount=") }.count
        await proxy.stop()
        #expect(asked > 0, "the shared base layer is offered as a mount")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(MirrorLab.totals(run)["blobsMounted"] == 0, "\(MirrorLab.totals(run))")
        #expect(try await MirrorLab.digests(at: target.look.baseURL).count == 12)
    }

    /// An upload Location on another port is refused: nothing, and no credential, goes there.
    @Test func anUploadSentElsewhereIsRefused() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let elsewhere = try await LoopbackHTTPServer { _ in .respond(status: 202, headers: [], body: []) }
        let proxy = try await ForwardingProxy(upstream: target.push.baseURL, http: lab.http) { method, path in
            method == "POST" && path.hasSuffix("/blobs/uploads/") ? .relocate("\(elsewhere.baseURL)/v2/upload/x") : .none
        }
        let run = try await CLI.run(
            ["mirror", "1.0-rc5", "--to", proxy.baseURL, "--format", "json"] + target.credentials + lab.sourceMirrors, stdin: Data(MirrorLab.password.utf8))
        await proxy.stop()
        await elsewhere.stop()
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(elsewhere.requests.isEmpty, "sent to the foreign Location: \(elsewhere.requests.map { "\($0.method) \($0.uri)" })")
        #expect(!run.stdout.contains(MirrorLab.password) && !run.stderr.contains(MirrorLab.password))
        #expect(try await MirrorLab.digests(at: target.look.baseURL).isEmpty)
    }

    /// A source whose manifest bytes are not what its Docker-Content-Digest says: refused by the
    /// bytes' own hash, nothing stored under the digest, for mirror and bundle alike.
    @Test func manifestBytesAreHashedNotTheHeaderTrusted() async throws {
        let lab = try await MirrorLab.shared.value
        let target = try await MirrorLab.Target()
        defer { target.stop() }
        let proxy = try await ForwardingProxy(upstream: lab.source.open.baseURL, http: lab.http) { method, path in
            method == "GET" && path == "/v2/nine-minds/email-service/manifests/61e4a00e" ? .pad : .none
        }
        let mirrors = ["--mirror", "ghcr.io=\(proxy.baseURL)", "--mirror", "docker.io=\(proxy.baseURL)"]
        let run = try await lab.mirror(mirrors, to: target)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(Self.image(run, "email-service")?["outcome"] as? String == "corrupt", "\(Self.image(run, "email-service") ?? [:])")
        #expect(try await MirrorLab.digests(at: target.look.baseURL).isEmpty)
        let dir = BundleCLITests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bundle = try await CLI.run(["bundle", "1.0-rc5", "--out", dir.path, "--format", "json"] + mirrors)
        await proxy.stop()
        #expect(bundle.status == 1 && Self.image(bundle, "email-service")?["outcome"] as? String == "corrupt", "\(bundle.stdout)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("index.json").path))
    }
}
