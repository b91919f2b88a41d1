import ArgumentParser
import Foundation
import JSONDocument
import RegistryCheck
import RegistryMirror
import RegistryRules
import ReleaseModel

/// How a command asks registries: `check`'s options, shared by every command that runs the gate
/// (`check`, `new --check`, `promote` without `--report`).
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("mirror"), help: "SOURCE=TARGET: check SOURCE's images at TARGET, e.g. ghcr.io=http://127.0.0.1:5000 (repeatable).")
    var mirrors: [String] = []

    @Flag(help: "Allow a plain-http mirror that is not on loopback.")
    var insecure = false

    @Option(
        help:
            "The platform every image must offer, os/arch[/variant] (default linux/amd64). mirror: the one platform to copy out of an index (default: every platform)."
    )
    var platform: String?

    @Option(help: "Checks in flight at once.")
    var concurrency: Int = 16

    @Option(help: "Seconds for the whole run, retries and transfers included (default 60; mirror: 3600).")
    var timeout: Double?

    @Option(name: .customLong("request-timeout"), help: "Seconds for one HTTP request.")
    var requestTimeout: Double = 10

    @Option(help: "Attempts per request for 429, 5xx and connection errors (the first included).")
    var attempts: Int = 5

    @Option(help: "Username for --password-stdin (GHCR accepts any name with a token).")
    var username: String?

    @Flag(name: .customLong("password-stdin"), help: "Read the password or token from standard input.")
    var passwordStdin = false

    @Option(name: .customLong("auth-registry"), help: "The registry --password-stdin and ALGA_REGISTRY_TOKEN are for.")
    var authRegistry: String = "ghcr.io"

    @Option(name: .customLong("docker-config"), help: "Docker config with auths (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json).")
    var dockerConfig: String?

    @Flag(help: "Use no credentials at all, as the appliance pulls.")
    var anonymous = false

    func validate() throws {
        if let platform, Platform(platform) == nil { throw ValidationError("--platform must be os/arch[/variant], e.g. linux/amd64") }
        if concurrency < 1 || concurrency > 256 { throw ValidationError("--concurrency must be between 1 and 256") }
        for (name, value) in [("--timeout", timeout ?? 60), ("--request-timeout", requestTimeout)] {
            if let problem = RunLimits.seconds(value, name: name) { throw ValidationError(problem) }
        }
        if attempts < 1 || attempts > 20 { throw ValidationError("--attempts must be between 1 and 20") }
        if username != nil && !passwordStdin { throw ValidationError("--username needs --password-stdin") }
        if anonymous && passwordStdin { throw ValidationError("--anonymous and --password-stdin exclude each other") }
        _ = try mirrorMap()
    }

    /// The `--mirror` map; a malformed one is a usage error.
    func mirrorMap() throws -> MirrorMap {
        var map = MirrorMap()
        for mirror in mirrors {
            do { try map.add(mirror, insecure: insecure) } catch { throw ValidationError(error.description) }
        }
        return map
    }

    /// The gate's platform: what every image must offer.
    var gatePlatform: String { platform ?? Platform.linuxAMD64.description }

    var retry: RetryPolicy { RetryPolicy(maxAttempts: attempts, requestTimeout: requestTimeout) }

    /// Checks `images` as `check` does (progress on stderr when it is a terminal) and returns the
    /// report, finished now.
    func gate(_ images: [ResolvedImage], release: String?, policy: Policy, read: RegistryReleaseReader.Read? = nil) async throws -> CheckReport {
        let options = try source()
        var progress: (@Sendable (Int, Int) -> Void)?
        if isatty(STDERR_FILENO) == 1 {
            progress = { done, total in Console.progress("checked \(done)/\(total)") }
        }
        // A registry release: its closure, the release itself reported as it was read.
        let checked =
            if let read {
                await RegistryReleaseGate.check(read, closure: images, options: options, progress: progress)
            } else {
                await RegistryGate.check(images, options: options, progress: progress)
            }
        if progress != nil { Console.progress(nil) }
        var report = CheckReport(release: release, policy: policy, platform: gatePlatform, images: checked)
        report.finishedAt = ISO8601DateFormatter().string(from: Date())
        report.manifestDigest = read?.manifestDigest
        return report
    }

    /// How the gate (and a registry release's read) asks registries: these options, a minute
    /// for the whole run unless `--timeout`, the gate's platform.
    func source() throws -> SourceOptions {
        SourceOptions(
            credentials: try credentials(), mirrors: try mirrorMap(), platform: Platform(gatePlatform), retry: retry, timeout: timeout ?? 60,
            concurrency: concurrency, insecure: insecure)
    }

    /// `new --check` and `promote` write only after a passing gate: anything else prints the
    /// check's report and exits as `check` would (1 a failing image, 3 indeterminate).
    static func requirePass(_ report: CheckReport, command: String) throws {
        let verdict = report.verdict(moved: [])
        guard verdict != .pass else { return }
        Console.output(CheckFormatter.text(report, moved: []))
        Console.error("\(command): the gate's verdict for \(report.release ?? "the images") is \(verdict.rawValue), not pass; nothing written")
        throw ExitCode(verdict == .indeterminate ? ExitStatus.indeterminate : ExitStatus.failed)
    }

    /// How `mirror` and `bundle` read the source: these options, a copy's whole-run timeout
    /// (an hour unless `--timeout`), and every platform of an index unless `--platform`.
    func copySource() throws -> SourceOptions {
        SourceOptions(
            credentials: try credentials(), mirrors: try mirrorMap(), platform: platform.flatMap(Platform.init), retry: retry, timeout: timeout ?? 3600,
            concurrency: concurrency, insecure: insecure)
    }

    /// A password or token from standard input (one of `--password-stdin`, `--to-password-stdin`),
    /// its final newline dropped; nothing read is a usage error naming the flag.
    static func secretFromStandardInput(flag: String) throws -> Secret {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard !text.isEmpty else { throw ValidationError("\(flag) read nothing from standard input") }
        return Secret(text)
    }

    /// `--docker-config`, else `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
    var dockerConfigPath: String {
        dockerConfig
            ?? ProcessInfo.processInfo.environment["DOCKER_CONFIG"].map { ($0 as NSString).appendingPathComponent("config.json") }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".docker/config.json")
    }

    /// The source registries' credentials, by the documented chain (`--anonymous`: none).
    func credentials() throws -> CredentialStore {
        if anonymous { return CredentialStore() }
        let password = passwordStdin ? try Self.secretFromStandardInput(flag: "--password-stdin") : nil
        do {
            return try CredentialStore.resolve(
                flagUsername: username, flagPassword: password, authRegistry: authRegistry, environment: ProcessInfo.processInfo.environment,
                dockerConfigPath: dockerConfigPath)
        } catch {
            throw InputError(file: error.file, reason: error.reason)
        }
    }
}
