import Foundation
@_exported import TestSupport
import Testing

/// The result of running the real `alga-release` binary.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    /// The binary SwiftPM built beside the test bundle (or ALGA_RELEASE_BIN).
    static let binary = builtExecutable("alga-release", variable: "ALGA_RELEASE_BIN")

    /// Runs the binary on a Dispatch thread, never on the Swift concurrency pool: the pool has one
    /// thread per core, and a test blocked in `waitUntilExit` there starves every other test's
    /// servers and timers (a 2-core CI machine saw loopback requests time out).
    static func run(_ arguments: [String], cwd: URL = packageRoot, stdin: Data? = nil, environment: [String: String] = [:]) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments, cwd: cwd, stdin: stdin, environment: environment) })
            }
        }
    }

    private static func runBlocking(_ arguments: [String], cwd: URL, stdin: Data?, environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = cwd
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Files, not pipes: a chatty child can never block on a full pipe buffer.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let err = dir.appendingPathComponent("err")
        try Data().write(to: out)
        try Data().write(to: err)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin {
            let input = dir.appendingPathComponent("in")
            try stdin.write(to: input)
            process.standardInput = try FileHandle(forReadingFrom: input)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

typealias Scratch = ScratchReleases
