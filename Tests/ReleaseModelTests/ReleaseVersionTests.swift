import Testing

@testable import ReleaseModel

@Suite struct ReleaseVersionTests {
    /// Each pair is (lower, higher) by precedence.
    @Test(arguments: [
        ("1.0-rc5", "1.0-rc5.1"), ("1.0-rc5.1", "1.0"), ("1.0", "1.0.1"), ("1.0-rc5", "1.0"),
        ("0.0.1", "1.0-rc5"), ("1.0-rc4", "1.0-rc5"), ("1.0-rc.9", "1.0-rc.10"), ("1.0-rc10", "1.0-rc9"), ("1.0-alpha", "1.0-alpha.1"),
        ("1.0.0-alpha.1", "1.0.0-alpha.beta"), ("1.0.0-alpha.beta", "1.0.0-beta"), ("1.0.0-beta", "1.0.0-beta.2"),
        ("1.0.0-beta.2", "1.0.0-beta.11"), ("1.0.0-beta.11", "1.0.0-rc.1"), ("1.0.0-rc.1", "1.0.0"),
        ("1.9", "1.10"), ("1.10", "2.0"), ("2.0.9", "2.0.10"), ("1.0-rc5.1", "1.0-rc5.2"), ("1.0-1", "1.0-rc1"),
        ("1.0-rc5.1", "1.0.1-rc1"), ("1.2.3-rc1", "1.2.3"), ("0.9.9", "0.10.0"), ("1.0-rc5", "1.0.0"),
    ])
    func precedence(lower: String, higher: String) throws {
        let a = try #require(ReleaseVersion(lower))
        let b = try #require(ReleaseVersion(higher))
        #expect(a < b)
        #expect(!(b < a))
    }

    /// SemVer compares "rc10" and "rc9" as text; only dot-separated numbers ("rc.10") compare as numbers.
    @Test func alphanumericIdentifiersCompareAsText() throws {
        #expect(try #require(ReleaseVersion("1.0-rc10")) < #require(ReleaseVersion("1.0-rc9")))
    }

    @Test func sortsTheOriginalsCounterexample() {
        let sorted = ["1.0.1", "1.0", "1.0-rc5.1", "1.0-rc5"].compactMap(ReleaseVersion.init).sorted().map(\.text)
        #expect(sorted == ["1.0-rc5", "1.0-rc5.1", "1.0", "1.0.1"])
    }

    @Test(arguments: ["1", "1.", "v1.0", "1.0-", "1.0-rc..1", "01.0", "1.0-01", "1.0.0.0", "1.0-rc5+", "", "a.b"])
    func rejects(text: String) {
        #expect(ReleaseVersion(text) == nil)
    }

    @Test func keepsTheTextAsWritten() {
        #expect(ReleaseVersion("1.0")?.description == "1.0")
        #expect(ReleaseVersion("1.0+build.5")?.build == "build.5")
    }
}

@Suite struct ImageReferenceTests {
    @Test(arguments: [
        ("redis:7.4", "docker.io/library/redis:7.4"),
        ("docker.io/library/redis:7.4", "docker.io/library/redis:7.4"),
        ("index.docker.io/ankane/pgvector", "docker.io/ankane/pgvector"),
        ("ghcr.io/nine-minds/alga-psa-ee:a2cbb430", "ghcr.io/nine-minds/alga-psa-ee:a2cbb430"),
        ("localhost:5000/a/b:1", "localhost:5000/a/b:1"),
        ("127.0.0.1:5000/x@sha256:" + String(repeating: "a", count: 64), "127.0.0.1:5000/x@sha256:" + String(repeating: "a", count: 64)),
        ("busybox", "docker.io/library/busybox"),
    ])
    func qualifies(input: String, expected: String) throws {
        #expect(try ImageReference(parsing: input).description == expected)
    }

    @Test(arguments: ["ghcr.io/Nine-Minds/alga-psa-ee:1", "ghcr.io/nine-minds/UPPER"])
    func refusesUppercaseRepositories(input: String) {
        #expect(throws: ImageReference.ParseError.uppercase(input)) { try ImageReference(parsing: input) }
    }

    @Test(arguments: ["", "ghcr.io/a:-bad", "a@sha256:xyz", "a//b", "a/b:c:d"])
    func refusesInvalid(input: String) {
        #expect(throws: ImageReference.ParseError.self) { try ImageReference(parsing: input) }
    }

    /// A repository that is invalid for another reason than case is said as invalid, not as uppercase.
    @Test(arguments: ["ghcr.io/nine..minds/x:1", "ghcr.io/-x/y", "a//b", "ghcr.io/x_/y"])
    func anInvalidRepositoryIsNotCalledUppercase(input: String) {
        #expect(throws: ImageReference.ParseError.invalidRepository(input)) { try ImageReference(parsing: input) }
    }

    @Test func mutableTags() throws {
        #expect(try ImageReference(parsing: "busybox").hasMutableTag)
        #expect(try ImageReference(parsing: "redis:latest").hasMutableTag)
        #expect(try !ImageReference(parsing: "redis:7.4").hasMutableTag)
    }
}

/// The upgrade's download: the blobs of the new release's images that no image of the old one
/// has, each counted once however many of the new images share it.
@Suite struct DownloadTests {
    static func blob(_ hex: Character, _ size: Int) -> RegistryLock.Blob {
        RegistryLock.Blob(digest: "sha256:" + String(repeating: hex, count: 64), size: size)
    }
    static func image(_ ref: String) throws -> ResolvedImage {
        ResolvedImage(commandLine: try ImageReference(parsing: ref), text: ref)
    }

    @Test func aNewLayerTwoImagesShareIsCountedOnce() throws {
        let base = Self.blob("a", 1_000)
        let old = RegistryLock(
            release: "1", platform: "linux/amd64",
            images: [
                .init(
                    ref: "ghcr.io/x/one:1", digest: "sha256:" + String(repeating: "1", count: 64), mediaType: nil, compressedSize: 1_010, platforms: [],
                    blobs: [base, Self.blob("b", 10)])
            ])
        let shared = Self.blob("c", 50_000)
        let new = RegistryLock(
            release: "2", platform: "linux/amd64",
            images: [
                .init(
                    ref: "ghcr.io/x/one:2", digest: "sha256:" + String(repeating: "2", count: 64), mediaType: nil, compressedSize: nil, platforms: [],
                    blobs: [base, shared, Self.blob("d", 7)]),
                .init(
                    ref: "ghcr.io/x/two:2", digest: "sha256:" + String(repeating: "3", count: 64), mediaType: nil, compressedSize: nil, platforms: [],
                    blobs: [shared, Self.blob("e", 3)]),
            ])
        let download = ReleaseDiff.download(from: old, to: new, images: [try Self.image("ghcr.io/x/one:2"), try Self.image("ghcr.io/x/two:2")])
        // shared once (50,000), d and e; base the node already has.
        #expect(download == 50_010)
    }

    @Test func anImageTheOldReleaseHasCostsNothing() throws {
        let entry = RegistryLock.Entry(
            ref: "ghcr.io/x/one:1", digest: "sha256:" + String(repeating: "1", count: 64), mediaType: nil, compressedSize: 5, platforms: [],
            blobs: [Self.blob("a", 5)])
        let lock = RegistryLock(release: "1", platform: "linux/amd64", images: [entry])
        #expect(ReleaseDiff.download(from: lock, to: lock, images: [try Self.image("ghcr.io/x/one:1")]) == 0)
    }
}
