import ArgumentParser
import Foundation
import JSONDocument
import RegistryRules

/// Where `mirror` writes and with which credentials: its own names, so the source's credentials
/// (`--username`, `ALGA_REGISTRY_TOKEN`, `GITHUB_TOKEN`) never go to the target, nor the target's
/// to a source.
struct TargetOptions: ParsableArguments {
    @Option(name: .customLong("to"), help: "The target registry, [http(s)://]HOST[:PORT][/PREFIX]; repositories keep their path under PREFIX.")
    var to: String

    @Option(name: .customLong("node-url"), help: "Where the node reaches the target, for the Talos patch (default: --to).")
    var nodeURL: String?

    @Option(name: .customLong("to-username"), help: "Username for --to-password-stdin.")
    var username: String?

    @Flag(name: .customLong("to-password-stdin"), help: "Read the target's password or token from standard input.")
    var passwordStdin = false

    @Flag(name: .customLong("to-anonymous"), help: "Push with no credentials (a target that takes anonymous pushes).")
    var anonymous = false

    func validate() throws {
        if username != nil && !passwordStdin { throw ValidationError("--to-username needs --to-password-stdin") }
        if anonymous && passwordStdin { throw ValidationError("--to-anonymous and --to-password-stdin exclude each other") }
    }

    func endpoint(insecure: Bool) throws -> RegistryEndpoint {
        do { return try RegistryEndpoint(mirror: to, insecure: insecure) } catch { throw ValidationError("--to \(to): \(error.reason)") }
    }

    func nodeEndpoint(insecure: Bool) throws -> RegistryEndpoint? {
        guard let nodeURL else { return nil }
        // The node's address is printed, never dialled: any http address is fine there.
        do { return try RegistryEndpoint(mirror: nodeURL, insecure: true) } catch { throw ValidationError("--node-url \(nodeURL): \(error.reason)") }
    }

    /// The target's credentials: `--to-password-stdin`, then `ALGA_TARGET_PASSWORD` (with
    /// `ALGA_TARGET_USERNAME`), then the Docker config's auths for the target host.
    func credentials(host: String, dockerConfigPath: String) throws -> CredentialStore {
        if anonymous { return CredentialStore() }
        let password = passwordStdin ? try RegistryOptions.secretFromStandardInput(flag: "--to-password-stdin") : nil
        do {
            return try CredentialStore.resolve(
                flagUsername: username, flagPassword: password, authRegistry: host, environment: ProcessInfo.processInfo.environment,
                dockerConfigPath: dockerConfigPath, variables: ("ALGA_TARGET_PASSWORD", "ALGA_TARGET_USERNAME"), flagOrigin: "--to-password-stdin",
                githubToken: false)
        } catch {
            throw InputError(file: error.file, reason: error.reason)
        }
    }
}
