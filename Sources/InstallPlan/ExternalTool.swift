import Foundation
import ReleaseModel

/// A program the plan runs: kustomize (`kubectl kustomize`) or Helm (`helm template`). Output goes
/// to files under a scratch folder, never pipes (a chatty child cannot block), the run ends by its
/// deadline, and output past `maxOutput` bytes is refused rather than read.
public struct ExternalTool: Sendable {
    /// What a person calls it, for messages (`helm`, `kubectl`).
    public var name: String
    public var path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// The tool at `explicit` (a flag), else at `$variable`, else `name` on PATH; nil when none is
    /// an executable file.
    public static func find(_ name: String, explicit: String?, variable: String, environment: [String: String]) -> ExternalTool? {
        let fm = FileManager.default
        if let given = explicit ?? environment[variable].flatMap({ $0.isEmpty ? nil : $0 }) {
            return fm.isExecutableFile(atPath: given) ? ExternalTool(name: name, path: given) : nil
        }
        for dir in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if fm.isExecutableFile(atPath: candidate) { return ExternalTool(name: name, path: candidate) }
        }
        return nil
    }

    /// What one run may take: `seconds` (and never past the plan's deadline), `maxOutput` bytes of
    /// output (the kernel stops a write past it: RLIMIT_FSIZE), `maxMemory` bytes of address space
    /// (RLIMIT_AS: a YAML alias bomb or a looping template ends there instead of taking the machine).
    public struct Limits: Sendable, Equatable {
        public var seconds: Double
        public var maxOutput: Int
        public var maxMemory: Int

        /// 120 s, 64 MiB, 2 GiB of address space: Go's runtime maps 0.6-0.8 GiB before it
        /// allocates (kubectl 1.20 does not start under 0.6 GiB, the Helm engine's front under
        /// 0.8 GiB), while a plan's kustomize build keeps under 50 MB resident.
        public static let standard = Limits(seconds: 120, maxOutput: 64 << 20, maxMemory: 2 << 30)

        public init(seconds: Double, maxOutput: Int, maxMemory: Int) {
            self.seconds = seconds
            self.maxOutput = maxOutput
            self.maxMemory = maxMemory
        }
    }

    /// The environment a tool runs in: nothing of the caller's but PATH, so no credential of the
    /// run (ALGA_REGISTRY_TOKEN, ALGA_TARGET_PASSWORD, a cloud's keys) reaches it; its home and
    /// temporary folder are the run's scratch folder; and every proxy variable names a closed port
    /// on loopback, so a fetch that got past the plan's own refusals fails instead of going out.
    static func environment(path: String?, scratch: String) -> [String: String] {
        let closed = "http://127.0.0.1:9"
        var environment = [
            "PATH": path ?? "/usr/local/bin:/usr/bin:/bin", "HOME": scratch, "TMPDIR": scratch, "LANG": "C.UTF-8",
            "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed, "https_proxy": closed, "ALL_PROXY": closed,
            "NO_PROXY": "", "no_proxy": "", "GIT_TERMINAL_PROMPT": "0", "KUBECONFIG": "/dev/null",
        ]
        for name in ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"] { environment[name] = scratch + "/helm" }
        return environment
    }

    /// The shell line that sets the limits and then becomes the tool (`ulimit` takes KiB for
    /// memory and 512-byte blocks for files, in POSIX sh).
    static func launcher(_ limits: Limits) -> String {
        "ulimit -v \(max(1, limits.maxMemory >> 10)) && ulimit -f \(max(1, limits.maxOutput / 512 + 1)) && exec \"$0\" \"$@\""
    }

    /// Runs the tool and returns its standard output.
    public func run(_ arguments: [String], limits: Limits = .standard) async throws(ToolFailure) -> String {
        let fm = FileManager.default
        let seconds = limits.seconds
        let scratch = fm.temporaryDirectory.appendingPathComponent("alga-plan-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: scratch.appendingPathComponent("home"), withIntermediateDirectories: true)
        } catch {
            throw .couldNotStart(tool: name, reason: "cannot make a scratch folder: \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out")
        let err = scratch.appendingPathComponent("err")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", Self.launcher(limits), path] + arguments
        process.environment = Self.environment(path: ProcessInfo.processInfo.environment["PATH"], scratch: scratch.appendingPathComponent("home").path)
        let (exit, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(1))
        process.terminationHandler = { ended in
            continuation.yield(ended.terminationReason == .uncaughtSignal ? -ended.terminationStatus : ended.terminationStatus)
            continuation.finish()
        }
        do {
            guard fm.createFile(atPath: out.path, contents: nil), fm.createFile(atPath: err.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch {
            throw .couldNotStart(tool: name, reason: error.localizedDescription)
        }
        // Ends the program at its deadline; says whether it had to.
        let watchdog = Task { () -> Bool in
            do { try await Task.sleep(for: .seconds(seconds)) } catch { return false }
            guard process.isRunning else { return false }
            process.terminate()
            // A tool that ignores SIGTERM is killed two seconds later.
            for _ in 0..<40 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            return true
        }
        var status: Int32 = -1
        for await code in exit { status = code }
        watchdog.cancel()
        let timedOut = await watchdog.value
        let size = RegularFile.regularSize(out.path) ?? 0
        let errorText = String(decoding: (try? RegularFile.read(err.path, maxBytes: limits.maxOutput).prefix(2000)) ?? Data(), as: UTF8.self)
        if timedOut { throw .timedOut(tool: name, seconds: seconds) }
        // SIGXFSZ: the kernel refused a write past the output limit.
        guard size < Int64(limits.maxOutput), status != -SIGXFSZ else { throw .outputTooLarge(tool: name, limit: limits.maxOutput) }
        guard status == 0 else {
            let stderr = errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            if Self.ranOutOfMemory(stderr) { throw .outOfMemory(tool: name, limit: limits.maxMemory) }
            throw .failed(tool: name, status: status, stderr: stderr)
        }
        do {
            return String(decoding: try RegularFile.read(out.path, maxBytes: limits.maxOutput), as: UTF8.self)
        } catch {
            throw .outputTooLarge(tool: name, limit: limits.maxOutput)
        }
    }

    /// What Go's runtime and Python say when an allocation fails under the address-space limit.
    static func ranOutOfMemory(_ stderr: String) -> Bool {
        stderr.contains("runtime: out of memory") || stderr.contains("cannot allocate memory") || stderr.contains("MemoryError")
            || stderr.contains("failed to reserve page summary memory")
    }
}
