import ArgumentParser
import BundleServe
import Foundation
import JSONDocument
import ReleaseModel

struct ServeBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-bundle",
        abstract: "Serve a bundle read-only as an OCI Distribution registry, for a node that pulls from this machine.",
        discussion: """
            Repositories are the bundle's with the host dropped, as mirror maps them, so the Talos patch mirror prints (with --node-url http://THIS-MACHINE:PORT) points the node here, and check --mirror ghcr.io=URL --mirror docker.io=URL finds every image. /v2/, manifests by tag and by digest (Content-Type, Docker-Content-Digest), blobs with Range, HEAD everywhere, tags lists; NAME_UNKNOWN, MANIFEST_UNKNOWN, BLOB_UNKNOWN, DIGEST_INVALID as Distribution answers; writes get UNSUPPORTED. Only files named by a digest under the bundle's blobs/sha256 are ever read. Stops on SIGTERM or SIGINT.

            Example: alga-release serve-bundle alga-1.0-rc5 --bind 0.0.0.0 --port 5000

            Exit 0 after a signal; 2 not a bundle; 64 on usage errors.
            """)

    @Argument(help: "The bundle's folder (bundle --out DIR; for a tar, extract it first).")
    var bundle: String

    @Option(help: "The address to listen on (0.0.0.0 for the LAN).")
    var bind: String = "127.0.0.1"

    @Option(help: "The port (0: one the system chooses, said on stderr).")
    var port: Int = 5000

    @Option(name: .customLong("max-connections"), help: "Open connections at most; more wait until one closes.")
    var maxConnections: Int = BundleServer.defaultMaxConnections

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...4096).contains(maxConnections) else { throw ValidationError("--max-connections must be between 1 and 4096") }
    }

    func run() async throws {
        let catalog: BundleCatalog
        do { catalog = try BundleCatalog(root: URL(fileURLWithPath: bundle)) } catch { throw InputError(file: bundle, reason: error.description) }
        try await BundleServer.serve(catalog: catalog, host: bind, port: port, maxConnections: maxConnections)
    }
}
