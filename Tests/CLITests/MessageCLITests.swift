import Foundation
import Testing

/// What a person reads (issue #11, item 10): counts that agree with the lines, a pointer said once,
/// plurals, and command-line text that does not talk about a page.
@Suite struct MessageCLITests {
    @Test func strictCountsAndJSONAgreeWithTheLines() async throws {
        let text = try await CLI.run(["validate", "--strict", "1.0-rc5"])
        #expect(text.status == 1)
        let lines = text.stdout.split(separator: "\n")
        let errorLines = lines.filter { $0.contains(": error: ") }.count
        let warningLines = lines.filter { $0.contains(": warning: ") }
        // --strict promotes the release's own findings; the inventory's stay warnings.
        #expect(errorLines > 0 && warningLines.allSatisfy { $0.hasPrefix("releases/appliance.json:") }, "\(text.stdout)")
        #expect(text.stdout.contains("INVALID (\(errorLines) errors, \(warningLines.count) warnings"), "\(text.stdout)")
        let json = try await CLI.run(["validate", "--strict", "1.0-rc5", "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["errors"] as? Int == errorLines && document["warnings"] as? Int == warningLines.count)
        for diagnostic in (document["diagnostics"] as? [[String: Any]]) ?? [] {
            let own = (diagnostic["file"] as? String)?.hasSuffix("release.json") == true
            #expect(diagnostic["severity"] as? String == (own ? "error" : "warning"), "\(diagnostic)")
        }
    }

    /// A release with no flaw of its own passes --strict; the inventory's findings need
    /// --strict-inventory, and a registry lock with digests satisfies the pin (#11, item 5).
    @Test func strictJudgesTheReleaseAndTheInventorySeparately() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = try String(contentsOfFile: releasesDirectory + "/1.0-rc5/release.json", encoding: .utf8)
        try scratch.write("1.0-rc5/release.json", Data(original.replacingOccurrences(of: "\"a2cbb43\"", with: "\"a2cbb430\"").utf8))
        let own = try await CLI.run(["validate", "--strict", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(own.status == 0, "\(own.stdout)")
        let inventory = try await CLI.run(["validate", "--strict-inventory", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(inventory.status == 1)
        #expect(inventory.stdout.contains("lint.no-digest"))
        let pinned = [
            "ghcr.io/nine-minds/appliance-status:0.1.0", "docker.io/rancher/local-path-provisioner:v0.0.31", "docker.io/ankane/pgvector:v0.5.1",
            "docker.io/library/redis:7.4", "docker.io/edoburu/pgbouncer:v1.23.1-p3", "docker.io/library/busybox:1.36",
            "docker.io/temporalio/auto-setup:1.27.2", "docker.io/temporalio/ui:2.30.0",
        ]
        let entries = pinned.enumerated().map { i, ref in
            #"{"ref":"\#(ref)","digest":"sha256:\#(String(repeating: String(i), count: 64))","mediaType":"application/vnd.oci.image.manifest.v1+json","compressedSize":100,"platforms":["linux/amd64"]}"#
        }
        let lock = try scratch.write(
            "lock.json", Data(#"{"schemaVersion":1,"release":"1.0-rc5","platform":"linux/amd64","images":[\#(entries.joined(separator: ","))]}"#.utf8))
        let locked = try await CLI.run(["validate", "--strict", "--strict-inventory", "1.0-rc5", "--releases-dir", scratch.root.path, "--lock", lock])
        #expect(locked.status == 0, "\(locked.stdout)\(locked.stderr)")
        #expect(!locked.stdout.contains("lint.no-digest"))
    }

    /// A channel pointing at a release that does not exist is an error: installs from it fail.
    @Test func aDanglingChannelIsAnError() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("1.0-rc5/release.json", try Data(contentsOf: URL(fileURLWithPath: releasesDirectory + "/1.0-rc5/release.json")))
        try scratch.write("channels/nightly.json", Data(#"{"channel":"nightly","releaseVersion":"9.9"}"#.utf8))
        let run = try await CLI.run(["validate", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("error: /releaseVersion: channel nightly points at release 9.9"), "\(run.stdout)")
    }

    @Test func aChannelOfAMissingReleaseNamesThePointerOnce() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("channels/beta.json", Data(#"{"channel":"beta","releaseVersion":"9.9","repoBranch":"main"}"#.utf8))
        let run = try await CLI.run(["validate", "channel:beta", "--releases-dir", scratch.root.path])
        #expect(run.status == 2)
        #expect(run.stderr.components(separatedBy: "/releaseVersion").count == 2, "\(run.stderr)")
    }

    @Test func aChannelWithoutAReleaseYetIsSaidSo() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("channels/stable.json", Data(#"{"channel":"stable","releaseVersion":null}"#.utf8))
        let run = try await CLI.run(["list", "--releases-dir", scratch.root.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("channel:stable -> (no release yet)"), "\(run.stdout)")
    }

    @Test func statusTextSaysTheStateOnceAndNoPage() async throws {
        let run = try await CLI.run(["status", "--snapshot", k8sFixtures.appendingPathComponent("core-image-pulling").path])
        #expect(run.status == 0)
        let first = run.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("Installing: pulling") && first.hasSuffix("[installing]"), "\(first)")
        #expect(!run.stdout.contains("installing: Installing"))
        #expect(!run.stdout.contains("this page"), "\(run.stdout)")
    }

    @Test func theImagesOfAnInvalidReleaseSayHowManyErrors() async throws {
        let run = try await CLI.run(["images", "Tests/Fixtures/readme-example/1.0-rc5"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("(4 errors above)"), "\(run.stderr)")
    }

    @Test func aMistypedCommandGetsTheClosestOne() async throws {
        let run = try await CLI.run(["valdate", "1.0-rc5"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("did you mean 'validate'?"), "\(run.stderr)")
        let other = try await CLI.run(["frobnicate"])
        #expect(other.status == 64 && !other.stderr.contains("did you mean"), "\(other.stderr)")
    }

    /// Defaults are relative to the working directory; from elsewhere the error names the folder
    /// looked for and the option that changes it (#11, item 7).
    @Test func defaultsFromAnotherDirectoryNameTheFolderAndTheOption() async throws {
        let elsewhere = FileManager.default.temporaryDirectory
        let validate = try await CLI.run(["validate", "1.0-rc5"], cwd: elsewhere)
        #expect(validate.status == 2)
        #expect(validate.stderr.contains("no releases directory here") && validate.stderr.contains("--releases-dir"), "\(validate.stderr)")
        let render = try await CLI.run(["render", releasesDirectory + "/1.0-rc5", "--out", "unused-out"], cwd: elsewhere)
        #expect(render.status == 2)
        #expect(render.stderr.contains("no templates directory here") && render.stderr.contains("--templates"), "\(render.stderr)")
    }

    /// The upstream repository's releases folder has no appliance.json (#11, item 4): the schema and
    /// the lints that do not need it still run; commands that need the images say how to give one.
    @Test func aReleasesFolderWithoutAnInventory() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try FileManager.default.removeItem(atPath: scratch.path("appliance.json"))
        try scratch.write("1.0-rc5/release.json", try Data(contentsOf: URL(fileURLWithPath: releasesDirectory + "/1.0-rc5/release.json")))
        let validate = try await CLI.run(["validate", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("lint.tag-length") && validate.stderr.contains("validated without it"), "\(validate.stdout)\(validate.stderr)")
        let images = try await CLI.run(["images", "1.0-rc5", "--releases-dir", scratch.root.path])
        #expect(images.status == 2)
        #expect(images.stderr.contains("--model"), "\(images.stderr)")
        let given = try await CLI.run(["images", "1.0-rc5", "--releases-dir", scratch.root.path, "--inventory", releasesDirectory + "/appliance.json"])
        #expect(given.status == 0, "\(given.stderr)")
    }

    /// A release without a key the inventory takes a tag from: the finding points at the inventory's
    /// tagFrom line and lists the keys the release has (#11, item 6).
    @Test func aMissingReleaseKeyIsFoundWhereTheInventoryNamesIt() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: releasesDirectory + "/1.0-rc5/release.json"))) as? [String: Any])
        var app = try #require(manifest["app"] as? [String: Any])
        var images = try #require(app["images"] as? [String: Any])
        images["emailService"] = nil
        app["images"] = images
        manifest["app"] = app
        try scratch.write("1.0-rc5/release.json", try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys]))
        let run = try await CLI.run(["validate", "1.0-rc5", "--releases-dir", scratch.root.path, "--format", "json"])
        #expect(run.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let finding = try #require(((document["diagnostics"] as? [[String: Any]]) ?? []).first { $0["rule"] as? String == "inventory.missing-key" })
        #expect((finding["file"] as? String)?.hasSuffix("appliance.json") == true, "\(finding)")
        #expect((finding["location"] as? [String: Any])?["line"] as? Int != nil, "\(finding)")
        #expect((finding["pointer"] as? String)?.hasSuffix("/tagFrom") == true, "\(finding)")
        #expect((finding["message"] as? String)?.contains("algaCore") == true, "\(finding)")
    }

    /// Every subcommand's --help has an example and its exit codes (#11, item 11).
    @Test(arguments: [
        "validate", "images", "check", "render", "lint-manifests", "plan", "new", "promote", "diff", "mirror", "bundle", "serve-bundle", "status",
        "status-token", "list",
    ])
    func helpHasAnExampleAndExitCodes(command: String) async throws {
        let run = try await CLI.run([command, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Example: alga-release \(command)"), "\(run.stdout)")
        #expect(run.stdout.contains("Exit 0"), "\(run.stdout)")
    }

    /// --verbose says which files were used; a release given by path takes its schema and
    /// inventory from beside its folder when they are there (#11, item 7).
    @Test func verboseSaysWhichFilesWereUsed() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("1.0-rc5/release.json", try Data(contentsOf: URL(fileURLWithPath: releasesDirectory + "/1.0-rc5/release.json")))
        let run = try await CLI.run(["validate", scratch.path("1.0-rc5"), "--verbose"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("schema \(scratch.path("schema.json"))") && run.stderr.contains("model \(scratch.path("appliance.json"))"), "\(run.stderr)")
    }
}
