import AsyncHTTPClient
import Foundation
import RegistryLab
import Testing

/// Registry releases (issue 30): a release published by independent clients as upstream publishes
/// one (oras-py for the release and the Flux bundle, the Helm engine for the charts;
/// scripts/lib/registry_release_lab.py) to a Distribution registry, read by `validate`, `images`,
/// `check` and `list` under its production names through `--mirror ghcr.io=...`.
@Suite(
    .enabled(if: SystemTool.available(.dockerRegistry, .oras), "needs docker-registry and the test venv's oras-py (scripts/test installs them)"))
struct RegistryReleaseCLITests {
    /// A registry with one published release; `skip` leaves parts of the closure out.
    final class Published: Sendable {
        let registry: RegistryProcess
        let storage: URL
        /// The digests the publisher printed (release, config, supportAgent).
        let digests: [String: String]
        var mirror: [String] { ["--mirror", "ghcr.io=\(registry.baseURL)"] }

        init(_ extra: [String] = []) async throws {
            storage = FileManager.default.temporaryDirectory.appendingPathComponent("registry-release-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: storage, withIntermediateDirectories: true)
            registry = try await RegistryProcess(storage: storage.appendingPathComponent("storage"), auth: .none)
            let run = try await Subprocess.run(
                try #require(SystemTool.oras.path),
                [
                    packageRoot.appendingPathComponent("scripts/lib/registry_release_lab.py").path, "--registry", String(registry.baseURL.dropFirst(7)),
                    "--work", storage.appendingPathComponent("work").path,
                ] + extra, timeout: .seconds(120))
            guard run.status == 0, let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] else {
                registry.stop()
                throw LabFailure(description: "publishing failed: \(run.stderr)")
            }
            digests = json.compactMapValues { $0 as? String }
        }

        func digest(_ key: String) -> String { digests[key] ?? "?" }

        /// Publishes another release into the same registry.
        func publish(_ extra: [String]) async throws {
            let run = try await Subprocess.run(
                try #require(SystemTool.oras.path),
                [
                    packageRoot.appendingPathComponent("scripts/lib/registry_release_lab.py").path, "--registry", String(registry.baseURL.dropFirst(7)),
                    "--work", storage.appendingPathComponent("work-\(UUID().uuidString)").path,
                ] + extra, timeout: .seconds(120))
            guard run.status == 0 else { throw LabFailure(description: "publishing failed: \(run.stderr)") }
        }

        func stop() {
            registry.stop()
            try? FileManager.default.removeItem(at: storage)
        }
    }

    struct LabFailure: Error, CustomStringConvertible { var description: String }

    static let stable = "oci://ghcr.io/nine-minds/alga-appliance-release:stable"

    static func json(_ run: Run) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:] }

    static func entries(_ run: Run) -> [[String: Any]] { (json(run)["images"] as? [[String: Any]]) ?? [] }

    @Test func aPublishedReleaseValidatesListsItsImagesAndPassesTheGate() async throws {
        let lab = try await Published()
        defer { lab.stop() }
        let release = lab.digest("release")

        let validate = try await CLI.run(["validate", Self.stable] + lab.mirror)
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stdout == "1.0.3: valid (0 errors, 0 warnings); read \(Self.stable) as \(release)\n", "\(validate.stdout)")

        let images = try await CLI.run(["images", "oci://ghcr.io/nine-minds/alga-appliance-release:1.0.3", "--format", "json"] + lab.mirror)
        let listed = Self.entries(images)
        #expect(images.status == 0 && listed.count == 6, "\(images.stdout)\(images.stderr)")
        #expect(listed.contains { $0["ref"] as? String == "ghcr.io/nine-minds/alga-psa-ee:a2cbb430" && $0["tier"] as? String == "login" })
        #expect(
            listed.contains {
                $0["ref"] as? String == "ghcr.io/nine-minds/alga-appliance-control-plane:cp-0.3.1" && $0["source"] as? String == "release:/controlPlane"
            })
        #expect(listed.contains { $0["ref"] as? String == "ghcr.io/nine-minds/alga-appliance-support-agent@\(lab.digest("supportAgent"))" })

        let check = try await CLI.run(["check", Self.stable, "--format", "json"] + lab.mirror)
        let entries = Self.entries(check)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(Self.json(check)["manifestDigest"] as? String == release && Self.json(check)["verdict"] as? String == "pass")
        #expect(entries.count == 14 && entries.allSatisfy { $0["status"] as? String == "present" }, "\(entries.map { $0["ref"] ?? "" })")
        #expect(entries.first?["source"] as? String == "release" && (entries.first?["ref"] as? String)?.hasSuffix("@\(release)") == true)
        #expect(
            entries.contains {
                $0["source"] as? String == "config" && $0["pointer"] as? String == "/config/digest"
                    && $0["ref"] as? String == "ghcr.io/nine-minds/alga-appliance-config@\(lab.digest("config"))"
            })
        #expect(entries.filter { $0["source"] as? String == "chart" }.count == 6)
        #expect(entries.contains { $0["ref"] as? String == "ghcr.io/nine-minds/charts/sebastian:0.0.1" && $0["pointer"] as? String == "/charts/sebastian" })

        let list = try await CLI.run(["list", "oci://ghcr.io/nine-minds/alga-appliance-release", "--format", "json"] + lab.mirror)
        let tags = (Self.json(list)["tags"] as? [[String: Any]]) ?? []
        #expect(list.status == 0 && tags.map { $0["tag"] as? String } == ["1.0.3", "stable"], "\(list.stdout)\(list.stderr)")
        #expect(tags.allSatisfy { $0["digest"] as? String == release && $0["version"] as? String == "1.0.3" })
    }

    /// The channel tag moved whether or not the rest exists: the gate names each hole, with the
    /// pointer of the document that names it, and fails.
    @Test func aClosureWithHolesFailsNamingEach() async throws {
        let lab = try await Published(["--skip", "bundle", "--skip", "chart:temporal", "--skip", "image:workflow-worker"])
        defer { lab.stop() }
        let check = try await CLI.run(["check", Self.stable, "--format", "json"] + lab.mirror)
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        let missing = Self.entries(check).filter { $0["status"] as? String != "present" }
        #expect(
            Set(missing.compactMap { $0["pointer"] as? String }) == ["/config/digest", "/charts/temporal", "/images/workflowWorker"],
            "\(missing.map { "\($0["ref"] ?? ""): \($0["status"] ?? "") \($0["detail"] ?? "")" })")
        // The bundle's and the chart's repositories were never pushed; the image's tag was not.
        #expect(missing.allSatisfy { ["missing_tag", "missing_repository"].contains($0["status"] as? String) && $0["verdict"] as? String == "fail" })
        let text = try await CLI.run(["check", Self.stable] + lab.mirror)
        #expect(text.stdout.contains("named at /charts/temporal of the release document"), "\(text.stdout)")
        #expect(text.stdout.contains("next: push the chart ghcr.io/nine-minds/charts/temporal:0.1.0 (helm push) or fix /charts/temporal"), "\(text.stdout)")
    }

    /// What the tag names is not an Alga release: said as what it is, exit 2.
    @Test func anImageWhereTheReleaseShouldBeIsRefused() async throws {
        let lab = try await Published(["--release-as-image"])
        defer { lab.stop() }
        let run = try await CLI.run(["validate", "oci://ghcr.io/nine-minds/alga-appliance-release:1.0.3"] + lab.mirror)
        #expect(run.status == 2 && run.stderr.contains("is a container image, not an Alga release"), "\(run.stdout)\(run.stderr)")
    }

    /// A config bundle pin that names a container image: present, but not what Flux can install.
    @Test func aBundleThatIsNoFluxArtifactIsTheWrongKind() async throws {
        let lab = try await Published(["--bundle-as-image"])
        defer { lab.stop() }
        let check = try await CLI.run(["check", Self.stable, "--format", "json"] + lab.mirror)
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        let config = try #require(Self.entries(check).first { $0["source"] as? String == "config" })
        #expect(config["status"] as? String == "wrong_kind" && (config["detail"] as? String)?.contains("not a Flux artifact") == true, "\(config)")
    }

    /// One run reads the channel tag once and uses the digest from then on: a channel moved
    /// during the run cannot mix two releases.
    @Test func theChannelTagIsReadOncePerRun() async throws {
        let lab = try await Published()
        defer { lab.stop() }
        let proxy = try await ForwardingProxy(upstream: lab.registry.baseURL, http: HTTPClient.shared) { _, _ in .none }
        let run = try await CLI.run(["check", Self.stable, "--format", "json", "--mirror", "ghcr.io=\(proxy.baseURL)"])
        await proxy.stop()
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let tagReads = proxy.server.requests.filter { $0.path.hasSuffix("/alga-appliance-release/manifests/stable") }
        #expect(tagReads.count == 1, "\(tagReads.map { "\($0.method) \($0.uri)" })")
        #expect(Self.json(run)["manifestDigest"] as? String == lab.digest("release"))
    }

    /// A release whose document says 100 MiB is refused by its descriptor, before a byte is read.
    @Test func aHugeDocumentIsNotRead() async throws {
        let lab = try await Published(["--huge-document"])
        defer { lab.stop() }
        let run = try await CLI.run(["validate", Self.stable] + lab.mirror)
        #expect(run.status == 2 && run.stderr.contains("is 104857600 bytes by its descriptor; a release document is at most 4 MiB"), "\(run.stderr)")
    }

    /// A release tagged to a channel it was not made for: a finding at the document's line.
    @Test func aReleaseTaggedToAnotherChannelIsAFinding() async throws {
        let lab = try await Published(["--document-channel", "nightly"])
        defer { lab.stop() }
        let run = try await CLI.run(["validate", Self.stable] + lab.mirror)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let name = "oci://ghcr.io/nine-minds/alga-appliance-release:stable@\(lab.digest("release"))#config"
        #expect(
            run.stdout.contains("\(name):4:") && run.stdout.contains("/channel: the release read by the channel tag stable says channel \"nightly\""),
            "\(run.stdout)")
        #expect(run.stdout.contains("[registry.channel-tag]"))
        // Read by its version tag it is that version: no finding.
        let byVersion = try await CLI.run(["validate", "oci://ghcr.io/nine-minds/alga-appliance-release:1.0.3"] + lab.mirror)
        #expect(byVersion.status == 0, "\(byVersion.stdout)")
    }

    /// A tag the registry does not have is the registry's word (exit 2); a registry that cannot be
    /// asked is indeterminate (exit 3); a malformed reference is named.
    @Test func whatTheRegistrySaysDecidesTheExit() async throws {
        let lab = try await Published()
        defer { lab.stop() }
        let missing = try await CLI.run(["validate", "oci://ghcr.io/nine-minds/alga-appliance-release:9.9.9"] + lab.mirror)
        #expect(missing.status == 2 && missing.stderr.contains("the registry says missing_tag"), "\(missing.stderr)")
        let closed = try await CLI.run(["validate", Self.stable, "--mirror", "ghcr.io=http://127.0.0.1:9", "--timeout", "5"])
        #expect(closed.status == 3 && closed.stderr.contains("could not be asked"), "\(closed.stderr)")
        let bad = try await CLI.run(["validate", "oci://alga-appliance-release:stable"])
        #expect(bad.status == 2 && bad.stderr.contains("names no registry host"), "\(bad.stderr)")
        // Bytes that do not hash to the digest the registry states are never used.
        let proxy = try await ForwardingProxy(upstream: lab.registry.baseURL, http: HTTPClient.shared) { method, path in
            method == "GET" && path == "/v2/nine-minds/alga-appliance-release/manifests/stable" ? .pad : .none
        }
        let lying = try await CLI.run(["validate", Self.stable, "--mirror", "ghcr.io=\(proxy.baseURL)"])
        await proxy.stop()
        #expect(lying.status == 3 && lying.stderr.contains("hash to"), "\(lying.stderr)")
        // A document whose bytes are not its digest (the same size, one byte changed) is never read.
        let rotten = try await ForwardingProxy(upstream: lab.registry.baseURL, http: HTTPClient.shared) { method, path in
            method == "GET" && path.hasPrefix("/v2/nine-minds/alga-appliance-release/blobs/") ? .corrupt : .none
        }
        let corrupt = try await CLI.run(["validate", Self.stable, "--mirror", "ghcr.io=\(rotten.baseURL)"])
        await rotten.stop()
        #expect(corrupt.status == 3 && corrupt.stderr.contains("do not hash to"), "\(corrupt.stderr)")
    }

    /// What a registry release installs, from its own artifacts: the config bundle pulled by its
    /// pinned digest and built from ./base, the setup engine's runtime values, each chart pulled
    /// from the OCI HelmRepository at the version its HelmRelease asks for and rendered. The
    /// release's images arrive through the values; what upstream's tree pulls besides (node:20-alpine,
    /// a pgbouncer at latest, a Temporal nothing declares) is named.
    @Test(.enabled(if: SystemTool.available(.helm, .kubectl))) func aRegistryReleasePlansFromItsOwnArtifacts() async throws {
        let lab = try await Published()
        defer { lab.stop() }
        let objects = lab.storage.appendingPathComponent("objects")
        let run = try await CLI.run(
            [
                "plan", Self.stable, "--format", "json", "--helm", try #require(SystemTool.helm.path), "--objects", objects.path, "--app-url",
                "https://alga.example",
            ]
                + lab.mirror)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let plan = Self.json(run)
        let images = (plan["images"] as? [[String: Any]]) ?? []
        let declared = Set(images.filter { $0["declared"] as? Bool == true }.compactMap { $0["ref"] as? String })
        #expect(
            declared == [
                "ghcr.io/nine-minds/alga-psa-ee:a2cbb430", "ghcr.io/nine-minds/workflow-worker:a2cbb430", "ghcr.io/nine-minds/email-service:61e4a00e",
                "ghcr.io/nine-minds/temporal-worker:a2cbb430",
            ], "\(images.map { $0["ref"] ?? "" })")
        let problems = ((plan["problems"] as? [[String: Any]]) ?? []).map { "\($0["rule"] ?? "") \($0["object"] ?? "")" }
        #expect(
            Set(problems) == [
                "plan.undeclared-image docker.io/library/node:20-alpine", "plan.undeclared-image docker.io/edoburu/pgbouncer:latest",
                "plan.undeclared-image docker.io/temporalio/auto-setup:1.27.2", "plan.mutable-image docker.io/edoburu/pgbouncer:latest",
            ], "\(problems)")
        #expect(((plan["charts"] as? [[String: Any]]) ?? []).count == 6)
        // The runtime values the setup engine writes: alga-core's app URL and tags.
        let values = try String(contentsOf: objects.appendingPathComponent("007-ConfigMap-appliance-values-alga-core.yaml"), encoding: .utf8)
        #expect(values.contains("appUrl: \"https://alga.example\"") && values.contains("tag: \"a2cbb430\""), "\(values)")
    }

    /// The release's charts must be what the bundle's HelmReleases pull.
    @Test(.enabled(if: SystemTool.available(.helm, .kubectl))) func chartsThatDisagreeWithTheBundleAreAProblem() async throws {
        let lab = try await Published(["--document-chart", "temporal=0.2.0"])
        defer { lab.stop() }
        let run = try await CLI.run(["plan", Self.stable, "--format", "json", "--helm", try #require(SystemTool.helm.path)] + lab.mirror)
        let problems = ((Self.json(run)["problems"] as? [[String: Any]]) ?? []).filter { $0["rule"] as? String == "plan.release-charts" }
        #expect(run.status == 1 && problems.count == 1, "\(run.stdout)\(run.stderr)")
        #expect(
            (problems.first?["message"] as? String)?.contains("pulls the chart temporal at 0.1.0, but the release's charts says 0.2.0") == true, "\(problems)")
    }

    /// check --plan gates what the plan pulls too: upstream's undeclared images fail it.
    @Test(.enabled(if: SystemTool.available(.helm, .kubectl))) func checkWithThePlanGatesWhatThePlanPulls() async throws {
        let lab = try await Published()
        defer { lab.stop() }
        let run = try await CLI.run(
            ["check", Self.stable, "--plan", "--format", "json", "--helm", try #require(SystemTool.helm.path), "--mirror", "docker.io=\(lab.registry.baseURL)"]
                + lab.mirror)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let undeclared = Self.entries(run).filter { $0["source"] as? String == "undeclared" }.compactMap { $0["ref"] as? String }
        #expect(
            Set(undeclared) == ["docker.io/library/node:20-alpine", "docker.io/edoburu/pgbouncer:latest", "docker.io/temporalio/auto-setup:1.27.2"],
            "\(undeclared)")
        #expect(Self.entries(run).filter { $0["status"] as? String == "present" }.count == 14)
    }

    /// A bundle layer that would write outside its folder is refused before anything is built.
    @Test(.enabled(if: SystemTool.available(.helm, .kubectl))) func aBundleThatEscapesIsNotUnpacked() async throws {
        let lab = try await Published(["--hostile-bundle"])
        defer { lab.stop() }
        let run = try await CLI.run(["plan", Self.stable, "--helm", try #require(SystemTool.helm.path)] + lab.mirror)
        #expect(run.status == 2 && run.stderr.contains("outside its folder"), "\(run.stdout)\(run.stderr)")
    }

    /// diff of two registry releases: the documents by pointer, and the config bundles file by file.
    @Test func twoRegistryReleasesDiffByFieldAndBundleFile() async throws {
        let lab = try await Published()
        defer { lab.stop() }
        try await lab.publish(["--version", "1.0.4", "--channel", "nightly"])
        let run = try await CLI.run(
            ["diff", "oci://ghcr.io/nine-minds/alga-appliance-release:1.0.3", "oci://ghcr.io/nine-minds/alga-appliance-release:nightly", "--format", "json"]
                + lab.mirror)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let json = Self.json(run)
        let pointers = ((json["fields"] as? [[String: Any]]) ?? []).compactMap { $0["pointer"] as? String }
        #expect(
            pointers.contains("/version") && pointers.contains("/config/digest") && pointers.contains("/profileValues/alga-core.single-node.yaml"),
            "\(pointers)")
        let bundle = (json["bundle"] as? [[String: Any]]) ?? []
        let changed = try #require(bundle.first { $0["path"] as? String == "profiles/single-node/values/alga-core.single-node.yaml" })
        #expect(changed["change"] as? String == "changed")
        #expect((changed["diff"] as? String)?.contains("-# alga-core for 1.0.3\n+# alga-core for 1.0.4") == true, "\(changed)")
        #expect((json["manifests"] as? [String])?.first == lab.digest("release"))
        let same = try await CLI.run(["diff", Self.stable, "oci://ghcr.io/nine-minds/alga-appliance-release:1.0.3"] + lab.mirror)
        #expect(same.status == 0 && same.stdout.contains("no difference"), "\(same.stdout)\(same.stderr)")
    }

    /// Upstream's tree today has no releases folder: the git-era commands say so and how to name
    /// a registry release instead.
    @Test func withoutAReleasesFolderTheHintNamesTheRegistry() async throws {
        for arguments in [["validate", "channel:stable"], ["validate", "1.0.3"], ["list"]] {
            let run = try await CLI.run(arguments + ["--releases-dir", "/nonexistent/ee/appliance/releases"])
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("oci://ghcr.io/nine-minds/alga-appliance-release"), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("known: none"), "\(arguments): \(run.stderr)")
        }
    }
}
