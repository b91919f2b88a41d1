import Foundation
@_exported import TestSupport
import Testing

/// The result of running the real `alga-release` binary.
typealias Run = Subprocess.Finished

enum CLI {
    /// The binary SwiftPM built beside the test bundle (or ALGA_RELEASE_BIN).
    static let binary = builtExecutable("alga-release", variable: "ALGA_RELEASE_BIN")

    /// Runs the binary to its end (TestSupport's `Subprocess`: files for output, no pool thread blocked).
    static func run(_ arguments: [String], cwd: URL = packageRoot, stdin: Data? = nil, environment: [String: String] = [:]) async throws -> Run {
        try await Subprocess.run(binary, arguments, cwd: cwd, environment: environment, stdin: stdin)
    }
}

typealias Scratch = ScratchReleases
