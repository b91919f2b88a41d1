import Foundation

/// The one way tests and the lab run a program (the CLI under test, the status server, openssl,
/// htpasswd, the registry's watchdog shell, Chromium).
///
/// Output goes to files, never pipes, so a chatty child can never block on a full pipe buffer.
/// `finished()` waits through the process's termination handler, so no thread of the Swift
/// concurrency pool is blocked: the pool has one thread per core, and a test blocked in
/// `waitUntilExit` there starves every other test's servers and timers (a 2-core CI machine saw
/// loopback requests time out).
public final class Subprocess: @unchecked Sendable {
    /// How a program ended and what it wrote.
    public struct Finished: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public struct LaunchError: Error, CustomStringConvertible {
        public var description: String
    }

    public let process: Process
    /// Where standard output (and, when merged, standard error) is written.
    public let outputFile: URL
    public let errorFile: URL
    private let scratch: URL?
    private let exit: AsyncStream<Int32>

    /// Starts `executable`. `log` names the output file (standard error merged into it) when the
    /// caller keeps it; otherwise both streams go to a scratch folder removed by `finished()`.
    public init(
        _ executable: String, _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:], stdin: Data? = nil, log: URL? = nil
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = cwd }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let fm = FileManager.default
        if let log {
            scratch = nil
            outputFile = log
            errorFile = log
            guard fm.createFile(atPath: log.path, contents: nil) else { throw LaunchError(description: "cannot create \(log.path)") }
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            let dir = fm.temporaryDirectory.appendingPathComponent("subprocess-\(UUID().uuidString)")
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            scratch = dir
            outputFile = dir.appendingPathComponent("out")
            errorFile = dir.appendingPathComponent("err")
            try Data().write(to: outputFile)
            try Data().write(to: errorFile)
            process.standardOutput = try FileHandle(forWritingTo: outputFile)
            process.standardError = try FileHandle(forWritingTo: errorFile)
        }
        if let stdin, let scratch {
            let input = scratch.appendingPathComponent("in")
            try stdin.write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        // Set before `run`, so an exit that comes first is not missed; the stream buffers it.
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(1))
        process.terminationHandler = { ended in
            continuation.yield(ended.terminationStatus)
            continuation.finish()
        }
        exit = stream
        self.process = process
        do {
            try process.run()
        } catch {
            if let scratch { try? fm.removeItem(at: scratch) }
            throw LaunchError(description: "cannot run \(executable): \(error.localizedDescription)")
        }
    }

    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// What it has written to standard output so far.
    public var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    public func terminate() { if process.isRunning { process.terminate() } }

    /// Waits for the exit without blocking a thread; after `timeout` the program is terminated
    /// (a liveness bound, never a timing assertion). Removes the scratch folder.
    public func finished(timeout: Duration? = nil) async -> Finished {
        let watchdog = timeout.map { limit in
            Task { [process] in
                try await Task.sleep(for: limit)
                if process.isRunning { process.terminate() }
            }
        }
        var status: Int32 = -1
        for await code in exit { status = code }
        watchdog?.cancel()
        return collect(status)
    }

    /// For synchronous callers of short programs (openssl, htpasswd) and `stop()` methods.
    public func finishedBlocking() -> Finished {
        process.waitUntilExit()
        return collect(process.terminationStatus)
    }

    private func collect(_ status: Int32) -> Finished {
        let read = { (url: URL) in String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self) }
        let finished = Finished(status: status, stdout: read(outputFile), stderr: errorFile == outputFile ? "" : read(errorFile))
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
        return finished
    }

    /// Runs a program to its end.
    public static func run(
        _ executable: String, _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:], stdin: Data? = nil, timeout: Duration? = nil
    ) async throws -> Finished {
        try await Subprocess(executable, arguments, cwd: cwd, environment: environment, stdin: stdin).finished(timeout: timeout)
    }

    /// Runs a short program to its end and fails with `failure` unless it exits 0.
    public static func require(_ executable: String, _ arguments: [String], cwd: URL? = nil, failure: String) throws {
        let finished = try Subprocess(executable, arguments, cwd: cwd).finishedBlocking()
        guard finished.status == 0 else { throw LaunchError(description: "\(failure): \(finished.stderr.suffix(300))") }
    }
}
