import ApplianceModel
import ArgumentParser
import Foundation
import JSONDocument
import ReleaseModel
import StatusAccess

struct StatusTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status-token",
        abstract: "Create (once) the appliance-status token and print its Secret for kubectl apply.",
        discussion: """
            The token is 24 bytes from the system's CSPRNG, as 48 hex characters, kept in DIR/status-token with mode 0600; a later run reuses it (and sets the mode back to 0600 if it was widened). A file there that does not hold a token is left alone and the command fails (exit 2).

            stdout: the appliance-system/appliance-status-auth Secret, for `alga-release status-token --site-dir DIR | kubectl apply -f -`.
            stderr: the status URL and the token, for the admin.

            Example: alga-release status-token --site-dir ~/.alga-psa-appliance/site-1 --node-ip 192.0.2.10 | kubectl apply -f -

            Exit 0 with the Secret; 2 when the token file there is not a token (it is left alone) or cannot be written; 64 on usage errors.
            """)

    @Option(name: .customLong("site-dir"), help: "The site's configuration directory (created 0700 if missing).")
    var siteDirectory: String

    @Option(name: .customLong("node-ip"), help: "The node's address, for the status URL on stderr.")
    var nodeIP: String?

    func validate() throws {
        if let nodeIP, Self.urlHost(nodeIP) == nil {
            throw ValidationError("--node-ip must be an IPv4 or IPv6 address, not '\(nodeIP)'")
        }
    }

    func run() throws {
        let result: SiteToken.Result
        do {
            result = try SiteToken.ensure(siteDirectory: siteDirectory)
        } catch {
            throw InputError(file: error.path, reason: error.reason)
        }
        // The Secret the status Deployment mounts is one the model says the bootstrap provides.
        // (The loader refuses a model without one, so the embedded model always has it.)
        guard let secret = ApplianceModel.standard.provided(.statusToken), let namespace = secret.namespace else {
            throw InputError(file: "releases/\(ApplianceDeclaration.fileName)", reason: "names no namespaced Secret with purpose statusToken")
        }
        Console.output(SiteToken.secretManifest(token: result.token, namespace: namespace, name: secret.name))
        let url = nodeIP.flatMap(Self.urlHost).map { "http://\($0):8080" } ?? "http://<node-ip>:8080"
        var note = result.created ? "created \(result.path) (mode 0600)" : "reused \(result.path)"
        if result.tightenedMode { note += "; its mode was widened and is 0600 again" }
        FileHandle.standardError.write(
            Data(
                """
                alga-release: status token \(note)
                Appliance status UI:
                  URL:   \(url)
                  Token: \(result.token)

                """.utf8))
    }

    /// The address as it goes in a URL (IPv6 in brackets), or nil when it is not an address.
    static func urlHost(_ address: String) -> String? {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return address }
        if inet_pton(AF_INET6, address, &v6) == 1 { return "[\(address)]" }
        return nil
    }
}
