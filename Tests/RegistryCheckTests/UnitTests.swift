import ApplianceModel
import Foundation
import JSONDocument
import ReleaseModel
import TestSupport
import Testing

@testable import RegistryCheck
@testable import RegistryRules

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct ChallengeTests {
    @Test func ghcrStyleBearer() throws {
        let header = #"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:nine-minds/alga-psa-ee:pull""#
        let c = try #require(Challenge.parse(header))
        #expect(c.count == 1)
        #expect(c[0].isBearer)
        #expect(c[0].parameters == ["realm": "https://ghcr.io/token", "service": "ghcr.io", "scope": "repository:nine-minds/alga-psa-ee:pull"])
    }

    @Test func quotedCommasEscapesAndSeveralChallenges() throws {
        let header = #"Bearer realm="https://a/token", scope="repository:x:pull,push", error="insufficient_scope", Basic realm="say \"hi\"""#
        let c = try #require(Challenge.parse(header))
        #expect(c.map(\.scheme) == ["Bearer", "Basic"])
        #expect(c[0].parameters["scope"] == "repository:x:pull,push")
        #expect(c[0].parameters["error"] == "insufficient_scope")
        #expect(c[1].parameters["realm"] == #"say "hi""#)
    }

    @Test func caseInsensitiveNamesAndUnquotedValues() throws {
        let c = try #require(Challenge.parse("basic Realm=registry"))
        #expect(c[0].isBasic)
        #expect(c[0].parameters["realm"] == "registry")
    }

    @Test(arguments: ["", #"Bearer realm="unterminated"#, #"Bearer realm="a"junk"#, "=value", #"Bearer realm="a",,="#])
    func malformed(header: String) {
        #expect(Challenge.parse(header) == nil)
    }
}

@Suite struct RetryAfterTests {
    @Test(arguments: [("3", 3.0), ("0.5", 0.5), ("  2 ", 2.0), ("-1", 0.0)])
    func seconds(value: String, expected: Double) {
        #expect(RegistryClient.retryAfter(value) == expected)
    }

    @Test func httpDate() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let value = formatter.string(from: Date().addingTimeInterval(30))
        let parsed = try #require(RegistryClient.retryAfter(value))
        #expect(parsed > 25 && parsed <= 30)
        #expect(RegistryClient.retryAfter("soon") == nil)
    }
}

@Suite struct MirrorTests {
    @Test(arguments: ["ghcr.io=http://127.0.0.1:5000", "ghcr.io=http://localhost:5000/", "docker.io=http://[::1]:5000", "ghcr.io=https://mirror.example"])
    func accepted(argument: String) throws {
        var map = MirrorMap()
        try map.add(argument, insecure: false)
    }

    @Test(arguments: [
        "ghcr.io=http://10.0.0.5:5000", "ghcr.io=http://192.168.64.8:5000", "ghcr.io", "=http://127.0.0.1", "ghcr.io=ftp://x",
        "ghcr.io=http://127.0.0.1:5000/v2",
    ])
    func refused(argument: String) {
        var map = MirrorMap()
        #expect(throws: MirrorError.self) { try map.add(argument, insecure: false) }
    }

    @Test func insecureAllowsPlainHTTPElsewhereAndDockerHubMapsToItsAPIHost() throws {
        var map = MirrorMap()
        try map.add("ghcr.io=http://10.0.0.5:5000", insecure: true)
        #expect(map.endpoint(for: "ghcr.io") == RegistryEndpoint(baseURL: "http://10.0.0.5:5000", isMirror: true))
        #expect(map.endpoint(for: "docker.io").baseURL == "https://registry-1.docker.io")
        #expect(map.endpoint(for: "quay.io").baseURL == "https://quay.io")
    }
}

func checked(_ status: CheckStatus, tier: ComponentTier?, key: String = "k", digest: String? = nil) -> CheckedImage {
    CheckedImage(
        image: ResolvedImage(
            ref: .init(registry: "ghcr.io", repository: "nine-minds/\(key)", tag: "1"), key: key, tier: tier, loginBlocking: tier?.mayBlockLogin,
            source: .release(key: key), uses: []),
        result: CheckResult(status: status, digest: digest, detail: "detail of \(key), 100% \"odd\" <chars>\nline two"))
}

@Suite struct PolicyTests {
    @Test(arguments: [
        (CheckStatus.present, ComponentTier?.some(.core), Verdict.pass, Verdict.pass),
        (.missingTag, .background, .fail, .warn),
        (.missingTag, .core, .fail, .fail),
        (.missingRepository, .platform, .fail, .fail),
        (.denied, .core, .fail, .fail),
        (.denied, .background, .fail, .warn),
        (.platformMissing, .core, .fail, .fail),
        (.rateLimited, .core, .indeterminate, .warn),
        (.unreachable, .background, .indeterminate, .warn),
        (.unreachable, .platform, .indeterminate, .warn),
        (.missingTag, .login, .fail, .fail),
        // Given with --ref: no tier, so pre-flight takes it as one the install needs.
        (.missingTag, nil, .fail, .fail),
        (.denied, nil, .fail, .fail),
    ])
    func perImage(status: CheckStatus, tier: ComponentTier?, gate: Verdict, preflight: Verdict) {
        #expect(Policy.gate.finding(for: checked(status, tier: tier), platform: "linux/amd64").verdict == gate)
        #expect(Policy.preflight.finding(for: checked(status, tier: tier), platform: "linux/amd64").verdict == preflight)
    }

    @Test func failOutweighsUnknownAndUnknownOutweighsPass() {
        #expect(Policy.gate.verdict(for: [checked(.unreachable, tier: .core), checked(.missingTag, tier: .background)]) == .fail)
        #expect(Policy.gate.verdict(for: [checked(.present, tier: .core), checked(.rateLimited, tier: .background)]) == .indeterminate)
        #expect(Policy.preflight.verdict(for: [checked(.present, tier: .core), checked(.missingTag, tier: .background)]) == .warn)
        #expect(Policy.gate.verdict(for: []) == .pass)
    }

    @Test func nextActionsSayWhatToDo() {
        let missing = Policy.preflight.finding(for: checked(.missingTag, tier: .background, key: "workflowWorker"), platform: "linux/amd64")
        #expect(missing.nextAction == "publish ghcr.io/nine-minds/workflowWorker:1 or fix app.images.workflowWorker in the release manifest")
        #expect(Policy.gate.finding(for: checked(.rateLimited, tier: .core), platform: "linux/amd64").nextAction?.contains("could not be made") == true)
        // The platform the check asked for (--platform), not a fixed one.
        #expect(
            Policy.gate.finding(for: checked(.platformMissing, tier: .core, key: "a"), platform: "linux/arm64").nextAction
                == "publish a linux/arm64 image for ghcr.io/nine-minds/a:1")
    }
}

@Suite struct FormatTests {
    static let report = CheckReport(
        release: "1.0-rc5", policy: .gate, platform: "linux/amd64",
        images: [
            checked(.present, tier: .core, key: "a", digest: "sha256:" + String(repeating: "1", count: 64)), checked(.missingTag, tier: .background, key: "b"),
            checked(.unreachable, tier: .core, key: "c"),
        ])

    @Test func junitIsWellFormedWithOneTestcasePerImage() throws {
        let xml = CheckFormatter.junit(Self.report)
        let document = try XMLDocument(data: Data(xml.utf8))
        let cases = try document.nodes(forXPath: "//testcase")
        #expect(cases.count == 3)
        #expect(try document.nodes(forXPath: "//testcase/failure[@type='missing_tag']").count == 1)
        #expect(try document.nodes(forXPath: "//testcase/error[@type='unreachable']").count == 1)
        let suite = try #require(try document.nodes(forXPath: "//testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "failures")?.stringValue == "1")
        #expect(suite.attribute(forName: "errors")?.stringValue == "1")
    }

    @Test func githubAnnotationsEscapeAndPointAtTheManifest() {
        let out = CheckFormatter.github(Self.report, positions: ["b": SourcePosition(file: "releases/1.0-rc5/release.json", line: 31)])
        let lines = out.split(separator: "\n").map(String.init)
        let error = lines.first { $0.hasPrefix("::error ") }
        #expect(error?.hasPrefix("::error file=releases/1.0-rc5/release.json,line=31,title=missing_tag%3A ghcr.io/nine-minds/b%3A1::") == true)
        #expect(error?.contains("100%25") == true)
        #expect(error?.contains("%0Aline two") == true)
        #expect(lines.contains { $0.hasPrefix("::warning title=unreachable%3A ghcr.io/nine-minds/c%3A1::") })
        #expect(lines.allSatisfy { !$0.contains("\n") })
    }

    @Test func jsonCarriesTheDocumentedFields() throws {
        let json = try CheckFormatter.json(Self.report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["verdict"] as? String == "fail")
        #expect(object["policy"] as? String == "gate")
        let images = try #require(object["images"] as? [[String: Any]])
        for key in ["ref", "key", "tier", "loginBlocking", "status", "platforms", "detail"] { #expect(images[0][key] != nil, "\(key)") }
        #expect((object["summary"] as? [String: Int])?["missing_tag"] == 1)
    }

    @Test func lockRecordsPresentImagesAndDetectsMovedTags() throws {
        let lock = RegistryLock(report: Self.report)
        #expect(lock.images.map(\.ref) == ["ghcr.io/nine-minds/a:1"])
        let moved = checked(.present, tier: .core, key: "a", digest: "sha256:" + String(repeating: "2", count: 64))
        let (tags, uncovered) = lock.verify([moved, checked(.present, tier: .core, key: "z")])
        #expect(
            tags == [
                MovedTag(
                    ref: "ghcr.io/nine-minds/a:1", locked: "sha256:" + String(repeating: "1", count: 64), current: "sha256:" + String(repeating: "2", count: 64)
                )
            ])
        #expect(uncovered == ["ghcr.io/nine-minds/z:1"])
        #expect(CheckReport(release: nil, policy: .gate, platform: "linux/amd64", images: [moved]).verdict(moved: tags) == .fail)
    }
}

@Suite struct CredentialTests {
    @Test func chainAndSecretsNeverPrint() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("config.json")
        let auth = Data("robot:docker-secret".utf8).base64EncodedString()
        try Data(#"{"auths": {"https://index.docker.io/v1/": {"auth": "\#(auth)"}, "quay.io": {"username": "u", "password": "quay-secret"}}}"#.utf8).write(
            to: config)
        let store = try CredentialStore.resolve(
            flagUsername: nil, flagPassword: nil, authRegistry: "ghcr.io", environment: ["GITHUB_TOKEN": "gh-secret"], dockerConfigPath: config.path)
        #expect(store.credential(for: "docker.io")?.username == "robot")
        #expect(store.credential(for: "quay.io")?.password.reveal() == "quay-secret")
        #expect(store.credential(for: "ghcr.io")?.origin == "GITHUB_TOKEN")
        let flags = try CredentialStore.resolve(
            flagUsername: "me", flagPassword: Secret("flag-secret"), authRegistry: "ghcr.io",
            environment: ["GITHUB_TOKEN": "gh-secret", "ALGA_REGISTRY_TOKEN": "alga-secret"],
            dockerConfigPath: nil)
        #expect(flags.credential(for: "ghcr.io")?.origin == "--password-stdin")
        let printed = "\(flags.credential(for: "ghcr.io")!) \(String(describing: flags.credential(for: "ghcr.io")!.password))"
        #expect(!printed.contains("flag-secret"))
    }
}

/// The gate's policy reads tiers from the model (#12): move a component to the background, or add
/// a background one, and pre-flight warns about its missing image instead of failing the install.
@Suite struct PolicyFollowsTheModelTests {
    static func images(_ modelText: String) throws -> [ResolvedImage] {
        let (declaration, diagnostics) = ApplianceDeclaration.load(try JSONParser.parse(Array(modelText.utf8)), file: "appliance.json")
        let inventory = try #require(declaration?.inventory, "\(diagnostics.map(\.formatted))")
        let release = try JSONFile.read(releasesDirectory + "/1.0-rc5.1/release.json")
        return inventory.resolve(for: ReleaseManifest(document: release.root)).images
    }

    @Test(arguments: [ModelChange.newBackgroundComponent, .pgbouncerInBackground])
    func preflight(_ change: ModelChange) throws {
        let key = change == .newBackgroundComponent ? "searchIndexer" : "pgbouncer"
        let changed = try #require(try Self.images(try change.text).first { $0.key == key })
        let missing = CheckResult(status: .missingTag, detail: "the registry says the tag does not exist")
        #expect(changed.tier == .background && changed.loginBlocking == false)
        #expect(Policy.preflight.finding(for: CheckedImage(image: changed, result: missing), platform: "linux/amd64").verdict == .warn)
        #expect(Policy.gate.finding(for: CheckedImage(image: changed, result: missing), platform: "linux/amd64").verdict == .fail)
        if change == .pgbouncerInBackground {
            let standard = try #require(try Self.images(try modelText { _ in }).first { $0.key == key })
            #expect(Policy.preflight.finding(for: CheckedImage(image: standard, result: missing), platform: "linux/amd64").verdict == .fail)
        }
    }
}

/// Every digest of a manifest or index is checked once, when it is decoded: a descriptor whose
/// digest is not `sha256:` and 64 lowercase hex digits never reaches a URL or a file name.
@Suite struct DescriptorDigestTests {
    static func manifest(layer digest: String) -> Data {
        let config = "sha256:" + String(repeating: "a", count: 64)
        return Data(
            #"{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "\#(config)", "size": 2}, "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "\#(digest)", "size": 3}]}"#
                .utf8)
    }

    @Test(arguments: [
        "sha256:../../../../v2/x/blobs/uploads", "sha256:" + String(repeating: "A", count: 64), "sha256:" + String(repeating: "a", count: 63),
        "sha512:" + String(repeating: "a", count: 128), "", "sha256:" + String(repeating: "a", count: 64) + "/..",
    ])
    func aDescriptorWithoutADigestIsRefused(digest: String) {
        #expect(throws: OCIDocument.Problem.invalidDigest(digest)) { _ = try OCIDocument.decode(Self.manifest(layer: digest)) }
    }

    @Test func aWellFormedManifestIsRead() throws {
        let document = try OCIDocument.decode(Self.manifest(layer: "sha256:" + String(repeating: "b", count: 64)))
        #expect(try document.blobs().count == 2)
        let index = Data(#"{"schemaVersion": 2, "manifests": [{"digest": "sha256:%2e%2e", "size": 1}]}"#.utf8)
        #expect(throws: OCIDocument.Problem.invalidDigest("sha256:%2e%2e")) { _ = try OCIDocument.decode(index) }
    }
}

/// What a Range header asks of a blob, as serve-bundle answers it: clamped to the blob, never
/// past its end (resuming clients ask for far more than is left).
@Suite struct ByteRangeTests {
    @Test(
        arguments: [
            (nil, 100, ByteRange.whole), ("bytes=0-9", 100, .part(0...9)), ("bytes=10-19", 100, .part(10...19)),
            ("bytes=0-999999999", 100, .part(0...99)), ("bytes=90-", 100, .part(90...99)), ("bytes=0-", 100, .part(0...99)),
            ("bytes=-10", 100, .part(90...99)), ("bytes=-1000", 100, .part(0...99)), ("bytes=99-99", 100, .part(99...99)),
            ("bytes=100-", 100, .unsatisfiable), ("bytes=100-200", 100, .unsatisfiable), ("bytes=20-10", 100, .unsatisfiable),
            ("bytes=-0", 100, .unsatisfiable), ("bytes=a-b", 100, .unsatisfiable), ("bytes=0-9,20-29", 100, .whole),
            ("items=0-9", 100, .whole), ("bytes=0-9", 0, .unsatisfiable), ("bytes=-99999999999999999999999", 100, .unsatisfiable),
            ("bytes=0-99999999999999999999999", 100, .unsatisfiable), ("bytes=", 100, .whole),
        ] as [(String?, Int, ByteRange)])
    func ranges(header: String?, size: Int, expected: ByteRange) {
        let range = ByteRange(header: header, size: size)
        #expect(range == expected, "\(header ?? "none") of \(size)")
        if case .part(let bytes) = range { #expect(bytes.lowerBound >= 0 && bytes.upperBound < size) }
    }
}

/// A mirror or bundle run that copied nothing never passes: a release or a bundle always names
/// images, so an empty run means something upstream of the copy went wrong.
@Suite struct MirrorVerdictTests {
    @Test func nothingCopiedIsAFailure() {
        #expect(MirrorReport(release: nil, bundle: "/tmp/b", platform: nil, images: []).verdict == .fail)
        #expect(
            MirrorReport(release: "1.0", target: RegistryEndpoint(baseURL: "http://127.0.0.1:5000", isMirror: true), platform: nil, images: []).verdict == .fail
        )
    }
}
