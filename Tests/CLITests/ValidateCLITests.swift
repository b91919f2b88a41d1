import Foundation
import Testing

@Suite struct ValidateCLITests {
    @Test func rc5IsValidWithTheTagLengthWarning() async throws {
        let run = try await CLI.run(["validate", "releases/1.0-rc5"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("releases/1.0-rc5/release.json:31:25: warning: /app/images/workflowWorker: tag \"a2cbb43\" (7 characters)"))
        #expect(run.stdout.contains("[lint.tag-length]"))
        #expect(run.stdout.contains("1.0-rc5: valid (0 errors"))
    }

    @Test func strictRc51FailsOnCopiedFields() async throws {
        let run = try await CLI.run(["validate", "--strict", "releases/1.0-rc5.1"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("error: /app/version: app.version \"1.0-rc5\" names another release"))
        #expect(run.stdout.contains("error: /os/iso/localPath:"))
        #expect(run.stdout.contains("INVALID"))
    }

    @Test func channelArgumentAndJSONOutput() async throws {
        let run = try await CLI.run(["validate", "channel:stable", "--format", "json"])
        #expect(run.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(document?["release"] as? String == "1.0-rc5.1")
        #expect(document?["valid"] as? Bool == true)
        let diagnostics = document?["diagnostics"] as? [[String: Any]] ?? []
        #expect(diagnostics.contains { $0["pointer"] as? String == "/app/version" && $0["rule"] as? String == "lint.copied-field" })
    }

    /// Every malformed manifest: the documented exit code, the file named, the pointers named, no crash.
    @Test(arguments: MalformedCase.all)
    func malformed(_ fixture: MalformedCase) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("1.0-rc5/release.json", try fixture.bytes)
        let run = try await CLI.run(["validate", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(run.status == fixture.exitCode, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        let all = run.stdout + run.stderr
        #expect(all.contains(scratch.path("1.0-rc5/release.json")))
        for mention in fixture.mentions { #expect(all.contains(mention), "\(mention) not in \(all)") }
        #expect(!all.contains("Fatal error"))

        let json = try await CLI.run(["validate", "1.0-rc5", "--releases-dir", scratch.root.path, "--format", "json"])
        #expect(json.status == fixture.exitCode)
        #expect((try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) != nil, "stdout is not one JSON document: \(json.stdout)")
    }

    @Test func hugeFileIsRefusedNotRead() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // 50 MB of valid-looking JSON: the size limit, not the parser, must stop it.
        var big = Data("{\"releaseVersion\": \"".utf8)
        big.append(Data(repeating: UInt8(ascii: "a"), count: 50 << 20))
        big.append(Data("\"}".utf8))
        try scratch.write("1.0-rc5/release.json", big)
        let run = try await CLI.run(["validate", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains(scratch.path("1.0-rc5/release.json")))
        #expect(run.stderr.contains("50 MiB"))
    }

    @Test func directoryInsteadOfFile() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.path("1.0-rc5/release.json"), withIntermediateDirectories: true)
        let run = try await CLI.run(["validate", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("release.json: is a directory"))
    }

    @Test(arguments: [
        (["validate", "9.9"], "unknown release \"9.9\""),
        (["validate", "channel:beta"], "unknown channel \"beta\""),
        (["validate", "releases/none/release.json"], "no such file"),
        (["images", "9.9"], "unknown release"),
        (["validate", "1.0-rc5", "--inventory", "releases/nope.json"], "releases/nope.json: no such JSON file"),
    ])
    func unusableInputExitsTwo(arguments: [String], message: String) async throws {
        let run = try await CLI.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "one-line reason expected: \(run.stderr)")
    }

    @Test(arguments: [["validate"], ["validate", "1.0-rc5", "--format", "yaml"], ["frobnicate"], ["images", "--bogus", "x"]])
    func usageErrorsExit64(arguments: [String]) async throws {
        #expect(try await CLI.run(arguments).status == 64)
    }

    @Test func brokenInventoryIsAnError() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("1.0-rc5/release.json", try Data(contentsOf: packageRoot.appendingPathComponent("releases/1.0-rc5/release.json")))
        let inventory = try String(contentsOf: packageRoot.appendingPathComponent("releases/appliance.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"ghcr.io/nine-minds/alga-psa-ee\"", with: "\"ghcr.io/Nine-Minds/alga-psa-ee\"")
            .replacingOccurrences(of: "\"tier\": \"background\"", with: "\"tier\": \"later\"")
        try scratch.write("appliance.json", Data(inventory.utf8))
        let run = try await CLI.run(["validate", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("appliance.json"))
        #expect(run.stdout.contains("/components/6/tier"))
        let images = try await CLI.run(["images", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(images.status == 2)
    }
}

@Suite struct ImagesAndListCLITests {
    @Test func imagesTextMarksTheLoginBlockingImage() async throws {
        let run = try await CLI.run(["images", "1.0-rc5"])
        #expect(run.status == 0)
        let line = run.stdout.split(separator: "\n").first { $0.contains("alga-psa-ee") }
        #expect(line?.hasPrefix("login ") == true && line?.contains("yes") == true)
        #expect(line?.contains("ghcr.io/nine-minds/alga-psa-ee:a2cbb430") == true)
        #expect(run.stdout.contains("docker.io/library/redis:7.4"))
    }

    @Test func imagesJSONHasTheDocumentedShape() async throws {
        let run = try await CLI.run(["images", "channel:stable", "--format", "json"])
        #expect(run.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["release"] as? String == "1.0-rc5.1")
        let images = try #require(document["images"] as? [[String: Any]])
        #expect(images.count == 12)
        for image in images {
            #expect(Set(image.keys) == ["ref", "key", "tier", "loginBlocking", "source", "components"])
            #expect((image["ref"] as? String)?.split(separator: "/").first?.contains(".") == true)
        }
        #expect(images.contains { $0["key"] as? String == "workflowWorker" && $0["source"] as? String == "release:app.images.workflowWorker" })
    }

    @Test func listOrdersBySemVer() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        for version in ["1.0.1", "1.0", "1.0-rc5.1", "1.0-rc5"] { try scratch.write("\(version)/release.json", Data("{}".utf8)) }
        try scratch.write("channels/stable.json", Data(#"{"channel":"stable","releaseVersion":"1.0"}"#.utf8))
        try scratch.write("channels/nightly.json", Data(#"{"channel":"nightly","releaseVersion":"2.0"}"#.utf8))
        let run = try await CLI.run(["list", "--releases-dir", scratch.root.path])
        #expect(run.status == 0)
        #expect(run.stdout == "1.0-rc5\n1.0-rc5.1\n1.0\n1.0.1\nchannel:nightly -> 2.0 (release missing)\nchannel:stable -> 1.0\n")
    }
}

@Suite struct RenderCLITests {
    @Test func committedTreePassesCheck() async throws {
        let run = try await CLI.run(["render", "1.0-rc5", "channel:stable", "--profile", "talos-single-node", "--out", "flux", "--check"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("flux: up to date with 1.0-rc5, 1.0-rc5.1 (27 files)"))
        // A tree rendered for both is not up to date for one: the other's entry would be removed.
        let one = try await CLI.run(["render", "channel:stable", "--out", "flux", "--check"])
        #expect(one.status == 1 && one.stderr.contains("releases/1.0-rc5/kustomization.yaml"), "\(one.stderr)")
        for release in ["1.0-rc5", "channel:stable"] {
            let lint = try await CLI.run(["lint-manifests", "flux", "--release", release])
            #expect(lint.status == 0, "\(lint.stdout)")
        }
    }

    @Test func driftExitsOneWithADiffAndRenderRepairsIt() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let out = scratch.path("flux")
        #expect(try await CLI.run(["render", "1.0-rc5", "--out", out]).status == 0)
        let file = scratch.root.appendingPathComponent("flux/base/namespaces.yaml")
        try Data(try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "name: msp", with: "name: msp2").utf8).write(to: file)
        let check = try await CLI.run(["render", "1.0-rc5", "--out", out, "--check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("-  name: msp2\n+  name: msp\n"))
        #expect(check.stderr.contains("base/namespaces.yaml"))
        #expect(try await CLI.run(["render", "1.0-rc5", "--out", out]).stdout == "wrote \(out)/base/namespaces.yaml\n")
        #expect(try await CLI.run(["render", "1.0-rc5", "--out", out, "--check"]).status == 0)
        // The 1.0-rc5 tree is not the stable channel's: its workflow-worker tag is the same, but the label differs.
        #expect(try await CLI.run(["lint-manifests", out, "--release", "1.0-rc5"]).status == 0)
    }

    @Test func anUnwritableOutputIsUnusableInput() async throws {
        let run = try await CLI.run(["render", "1.0-rc5", "--out", "/dev/null/flux"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("/dev/null/flux: cannot write the rendered tree (nothing was changed)"))
    }

    @Test func aLockThatMissesAnImageIsAnErrorNamingIt() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("lock.json", Data(#"{"schemaVersion":1,"platform":"linux/amd64","images":[]}"#.utf8))
        let run = try await CLI.run(["render", "1.0-rc5", "--out", scratch.path("flux"), "--lock", scratch.path("lock.json")])
        #expect(run.status == 2)
        #expect(run.stderr.contains("does not cover"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path("flux")))
    }
}

@Suite struct StatusCLITests {
    @Test(arguments: [
        ("core-image-pulling", "installing"), ("db-subpath", "failed_action_required"), ("healthy-full", "fully_healthy"),
        ("login-ready-background-failed", "ready_with_background_issues"),
    ])
    func snapshotStatusIsTheOutputAndExitsZero(scenario: String, rollup: String) async throws {
        let folder = packageRoot.appendingPathComponent("Tests/Fixtures/k8s/\(scenario)").path
        let json = try await CLI.run(["status", "--snapshot", folder, "--format", "json", "--release", "channel:stable"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["rollup"] as? [String: Any])?["state"] as? String == rollup)
        #expect(document["schemaVersion"] as? Int == 1)
        #expect((document["release"] as? [String: Any])?["releaseVersion"] as? String == "1.0-rc5.1")
        #expect((document["release"] as? [String: Any])?["channel"] as? String == "stable")
        for key in ["siteId", "observedAt", "urls", "tiers", "topBlockers", "activeOperations", "components", "recentEvents", "loginProbe", "bootstrap"] {
            #expect(document[key] != nil, "\(key)")
        }
        let text = try await CLI.run(["status", "--snapshot", folder])
        #expect(text.status == 0)
        #expect(text.stdout.split(separator: "\n").first?.hasSuffix(" [\(rollup)]") == true, "\(text.stdout)")
    }

    @Test func anUnreachableClusterExitsThree() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // A port nothing listens on, on loopback: never a real address.
        let kubeconfig = """
            apiVersion: v1
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:1
                insecure-skip-tls-verify: true
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            users:
            - name: u
              user: {token: abc}
            """
        try scratch.write("kubeconfig", Data(kubeconfig.utf8))
        let run = try await CLI.run([
            "status", "--kubeconfig", scratch.path("kubeconfig"), "--probes",
            packageRoot.appendingPathComponent("Tests/Fixtures/k8s/healthy-full/probes.json").path,
        ])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("the cluster cannot be reached"))
        #expect(!run.stderr.contains("abc"))
        #expect(try await CLI.run(["status"]).status == 64)
        #expect(try await CLI.run(["status", "--snapshot", "x", "--in-cluster"]).status == 64)
        #expect(try await CLI.run(["status", "--kubeconfig", "/nonexistent/kubeconfig"]).status == 2)
    }

    @Test func anUnreadableSnapshotExitsTwo() async throws {
        let run = try await CLI.run(["status", "--snapshot", "/nonexistent/snapshot"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("/nonexistent/snapshot: no such snapshot directory"))
    }
}
