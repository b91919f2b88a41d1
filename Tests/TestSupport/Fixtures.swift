import Foundation

/// The package root, so tests read the repository's own releases/ and fixtures (never ../shared).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
public let releasesDirectory = packageRoot.appendingPathComponent("releases").path
public let malformedDirectory = packageRoot.appendingPathComponent("Tests/Fixtures/malformed").path
public let k8sFixtures = packageRoot.appendingPathComponent("Tests/Fixtures/k8s")

/// The recorded cluster scenarios (every folder of Tests/Fixtures/k8s with an expected.json).
public let scenarios: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: k8sFixtures.path)) ?? [])
    .filter { FileManager.default.fileExists(atPath: k8sFixtures.appendingPathComponent("\($0)/expected.json").path) }.sorted()

/// A built executable of this package, found beside the test runner (or at the path in `variable`).
public func builtExecutable(_ name: String, variable: String) -> String {
    if let explicit = ProcessInfo.processInfo.environment[variable] { return explicit }
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = runner.deletingLastPathComponent()
    // The runner may sit inside a .xctest bundle directory.
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) && dir.path != "/" {
        dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent(name).path
}

/// One malformed manifest of Tests/Fixtures/malformed and what validating it must report.
public struct MalformedCase: Decodable, Sendable, CustomStringConvertible {
    public var file: String
    public var exitCode: Int32
    public var mentions: [String]
    public var note: String
    public var description: String { file }

    public var bytes: Data {
        get throws { try Data(contentsOf: URL(fileURLWithPath: malformedDirectory).appendingPathComponent(file)) }
    }

    public static let all: [MalformedCase] = {
        struct Cases: Decodable { var cases: [MalformedCase] }
        let data = try! Data(contentsOf: URL(fileURLWithPath: malformedDirectory).appendingPathComponent("cases.json"))
        return try! JSONDecoder().decode(Cases.self, from: data).cases
    }()
}

/// A scratch releases directory with the repository's schema and inventory, removed by `remove()`.
public struct ScratchReleases: Sendable {
    public let root: URL

    public init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("alga-release-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("channels"), withIntermediateDirectories: true)
        for name in ["schema.json", "appliance.json"] {
            try FileManager.default.copyItem(
                atPath: (releasesDirectory as NSString).appendingPathComponent(name), toPath: root.appendingPathComponent(name).path)
        }
    }

    public func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Writes `data` at `relative` (e.g. `1.0-rc5/release.json`), creating folders; returns its path.
    @discardableResult
    public func write(_ relative: String, _ data: Data) throws -> String {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url.path
    }

    public func remove() { try? FileManager.default.removeItem(at: root) }
}

/// A new empty folder under the temporary directory; the caller removes it.
public enum ScratchFolder {
    public static func folder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A count several tasks (a test server's handler, say) add to.
public final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    public init() {}
    /// Adds one and returns the new count.
    public func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
    public var count: Int { lock.withLock { value } }
}
