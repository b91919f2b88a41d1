import Foundation
import RegistryCheck
import RegistryLab
import RegistryRules
import ReleaseModel
import TestSupport
import Testing

/// Against the real Distribution registry, open (no auth).
@Suite(
    .enabled(if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl), "needs docker-registry, apache2-utils and openssl (scripts/test installs them)"))
struct OpenRegistryTests {
    @Test func indexIsPresentWithItsAMD64SizeAndPlatforms() async throws {
        let lab = try await Lab.shared.value
        let result = try await lab.checker(lab.open.baseURL).check(.ghcr("nine-minds/alga-psa-ee", "a2cbb430"))
        #expect(result.status == .present, "\(result.detail)")
        #expect(result.digest == lab.digests["nine-minds/alga-psa-ee:a2cbb430"])
        #expect(result.mediaType == "application/vnd.oci.image.index.v1+json")
        // The buildx attestation entry (unknown/unknown) is not a platform.
        #expect(result.platforms == ["linux/amd64", "linux/arm64"])
        #expect(result.compressedSize == lab.indexAMD64Size)
    }

    @Test func singleManifestsOfBothFormats() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.open.baseURL)
        let oci = await checker.check(.ghcr("nine-minds/email-service", "61e4a00e"))
        #expect(oci.status == .present)
        #expect(oci.platforms == ["linux/amd64"])
        #expect(oci.mediaType == "application/vnd.oci.image.manifest.v1+json")
        #expect((oci.compressedSize ?? 0) > 1234)
        let docker = await checker.check(.ghcr("nine-minds/temporal-worker", "a2cbb43"))
        #expect(docker.status == .present)
        #expect(docker.mediaType == "application/vnd.docker.distribution.manifest.v2+json")
        #expect(docker.digest == lab.digests["nine-minds/temporal-worker:a2cbb43"])
        let list = await checker.check(.ghcr("nine-minds/legacy-list", "1"))
        #expect(list.status == .present)
        #expect(list.mediaType == "application/vnd.docker.distribution.manifest.list.v2+json")
        #expect(list.platforms == ["linux/amd64", "linux/arm64/v8"])
    }

    /// A Helm chart in an OCI registry is checked like an image: present when its manifest is
    /// there and hashes to its digest, with its size; it has no platform to check.
    @Test func aHelmChartArtifactIsPresentWithoutAPlatform() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.open.baseURL)
        let chart = await checker.check(.ghcr("nine-minds/charts/sebastian", "0.0.1"))
        #expect(chart.status == .present, "\(chart.detail)")
        #expect(chart.platforms.isEmpty)
        #expect(chart.digest == lab.digests["nine-minds/charts/sebastian:0.0.1"])
        #expect(chart.detail.contains("a Helm chart"))
        #expect((chart.compressedSize ?? 0) > 1500)
        let missing = await checker.check(.ghcr("nine-minds/charts/sebastian", "0.0.2"))
        #expect(missing.status == .missingTag)
    }

    /// The incident: a tag that was never pushed, in a repository that exists.
    @Test func missingTagIsToldFromMissingRepository() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.open.baseURL)
        let tag = await checker.check(.ghcr("nine-minds/workflow-worker", "61e4a00e"))
        #expect(tag.status == .missingTag)
        #expect(tag.detail.contains("MANIFEST_UNKNOWN"))
        let near = await checker.check(.ghcr("nine-minds/workflow-worker", "a2cbb43"))
        #expect(near.status == .missingTag)
        #expect(near.detail.contains("similar tags that exist: a2cbb430"))
        let repository = await checker.check(.ghcr("nine-minds/never-pushed", "61e4a00e"))
        #expect(repository.status == .missingRepository)
        #expect(repository.detail.contains("NAME_UNKNOWN"))
    }

    @Test func platformMissingForIndexesAndSingleManifests() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.open.baseURL)
        let index = await checker.check(.ghcr("nine-minds/arm-only", "1"))
        #expect(index.status == .platformMissing)
        #expect(index.platforms == ["linux/arm64"])
        #expect(index.detail.contains("no linux/amd64"))
        let single = await checker.check(.ghcr("nine-minds/arm-single", "1"))
        #expect(single.status == .platformMissing)
        #expect(single.platforms == ["linux/arm64"])
        // --platform changes what is required.
        let arm = try await lab.checker(lab.open.baseURL, platform: Platform("linux/arm64")!).check(.ghcr("nine-minds/arm-only", "1"))
        #expect(arm.status == .present)
    }

    @Test func digestReferencesAreCheckedByDigest() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.open.baseURL)
        let digest = try #require(lab.digests["nine-minds/email-service:61e4a00e"])
        let pinned = await checker.check(ImageReference(registry: "ghcr.io", repository: "nine-minds/email-service", tag: "61e4a00e", digest: digest))
        #expect(pinned.status == .present)
        let wrong = "sha256:" + String(repeating: "0", count: 64)
        let missing = await checker.check(ImageReference(registry: "ghcr.io", repository: "nine-minds/email-service", tag: "61e4a00e", digest: wrong))
        #expect(missing.status == .missingTag)
    }

    @Test func identicalReferencesAreCheckedOnceAndOrderIsKept() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.open.baseURL)
        let a = ResolvedImage(ref: .ghcr("nine-minds/email-service", "61e4a00e"), key: "a", tier: .core, loginBlocking: true, source: .commandLine, uses: [])
        let b = ResolvedImage(ref: .ghcr("nine-minds/never-pushed", "1"), key: "b", tier: .background, loginBlocking: false, source: .commandLine, uses: [])
        var c = a
        c.key = "c"
        let results = await checker.checkAll([a, b, c], concurrency: 2)
        #expect(results.map(\.image.key) == ["a", "b", "c"])
        #expect(results.map(\.result.status) == [.present, .missingRepository, .present])
        #expect(results[0].result == results[2].result)
        #expect(results[0].checkedAt == lab.open.baseURL)
    }
}

/// htpasswd Basic auth: the same images behind a password.
@Suite(
    .enabled(if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl), "needs docker-registry, apache2-utils and openssl (scripts/test installs them)"))
struct BasicAuthRegistryTests {
    @Test func anonymousIsDeniedAndCredentialsWork() async throws {
        let lab = try await Lab.shared.value
        let ref = ImageReference.ghcr("nine-minds/email-service", "61e4a00e")
        let anonymous = try await lab.checker(lab.basic.baseURL).check(ref)
        #expect(anonymous.status == .denied)
        #expect(anonymous.detail.contains("requires credentials"))
        let authed = try await lab.checker(lab.basic.baseURL, credentials: credentials()).check(ref)
        #expect(authed.status == .present, "\(authed.detail)")
        #expect(authed.auth == "basic (test)")
        let missing = try await lab.checker(lab.basic.baseURL, credentials: credentials()).check(.ghcr("nine-minds/workflow-worker", "61e4a00e"))
        #expect(missing.status == .missingTag)
    }

    @Test func wrongPasswordIsDeniedNeverMissing() async throws {
        let lab = try await Lab.shared.value
        let result = try await lab.checker(lab.basic.baseURL, credentials: credentials(password: "wrong")).check(.ghcr("nine-minds/never-pushed", "1"))
        #expect(result.status == .denied)
        #expect(!result.detail.contains("wrong"))
    }
}

/// The registry's `auth: token` with our token server: the real Bearer flow.
@Suite(
    .enabled(if: SystemTool.available(.dockerRegistry, .htpasswd, .openssl), "needs docker-registry, apache2-utils and openssl (scripts/test installs them)"))
struct TokenAuthRegistryTests {
    @Test func anonymousTokenFlow() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.token.baseURL)
        let present = await checker.check(.ghcr("nine-minds/alga-psa-ee", "a2cbb430"))
        #expect(present.status == .present, "\(present.detail)")
        #expect(present.auth == "bearer (anonymous token)")
        #expect(await checker.check(.ghcr("nine-minds/workflow-worker", "61e4a00e")).status == .missingTag)
        #expect(await checker.check(.ghcr("nine-minds/never-pushed", "1")).status == .missingRepository)
    }

    /// GHCR refuses the anonymous token for a private package: the appliance cannot pull it.
    @Test func privateRepositoryIsDeniedAnonymouslyAndPresentWithCredentials() async throws {
        let lab = try await Lab.shared.value
        let ref = ImageReference.ghcr(Lab.privateRepository, "1")
        let anonymous = try await lab.checker(lab.token.baseURL).check(ref)
        #expect(anonymous.status == .denied)
        #expect(anonymous.detail.contains("private or does not exist"))
        let authed = try await lab.checker(lab.token.baseURL, credentials: credentials()).check(ref)
        #expect(authed.status == .present, "\(authed.detail)")
        let wrong = try await lab.checker(lab.token.baseURL, credentials: credentials(password: "nope")).check(ref)
        #expect(wrong.status == .denied)
    }

    /// Tokens live 2 s but are advertised for 300 s: the registry's 401 must make the client fetch a new one.
    @Test func expiredTokenIsRefreshed() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.token.baseURL)
        let ref = ImageReference.ghcr("nine-minds/temporal-worker", "a2cbb43")
        #expect(await checker.check(ref).status == .present)
        try await Task.sleep(for: .seconds(3))
        let again = await checker.check(ref)
        #expect(again.status == .present, "\(again.detail)")
    }

    @Test func oneTokenRequestPerScopeUnderConcurrency() async throws {
        let lab = try await Lab.shared.value
        let checker = try lab.checker(lab.token.baseURL)
        let images = (0..<12).map { i in
            ResolvedImage(ref: .ghcr("nine-minds/many", "t\(i)"), key: "m\(i)", tier: .core, loginBlocking: false, source: .commandLine, uses: [])
        }
        let results = await checker.checkAll(images, concurrency: 12)
        #expect(results.allSatisfy { $0.result.status == .present })
        #expect(lab.tokenServer.tokenRequests["repository:nine-minds/many:pull"] == 1)
    }
}
