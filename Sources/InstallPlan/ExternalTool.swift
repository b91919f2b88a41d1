import Foundation

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

    /// Runs the tool and returns its standard output.
    public func run(_ arguments: [String], seconds: Double = 120, maxOutput: Int = 64 << 20) async throws(ToolFailure) -> String {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("alga-plan-\(UUID().uuidString)")
        do {
            try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw .couldNotStart(tool: name, reason: "cannot make a scratch folder: \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out")
        let err = scratch.appendingPathComponent("err")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let (exit, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(1))
        process.terminationHandler = { ended in
            continuation.yield(ended.terminationStatus)
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
            return true
        }
        var status: Int32 = -1
        for await code in exit { status = code }
        watchdog.cancel()
        let timedOut = await watchdog.value
        let size = (try? fm.attributesOfItem(atPath: out.path)[.size] as? Int) ?? 0
        let errorText = String(decoding: (try? Data(contentsOf: err).prefix(2000)) ?? Data(), as: UTF8.self)
        if timedOut { throw .timedOut(tool: name, seconds: seconds) }
        guard status == 0 else { throw .failed(tool: name, status: status, stderr: errorText.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard size <= maxOutput else { throw .outputTooLarge(tool: name, limit: maxOutput) }
        return String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self)
    }
}
