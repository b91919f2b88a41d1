import Foundation
import JSONDocument
@testable import ReleaseModel

/// The package root, so tests read the repository's own releases/ and fixtures (never ../shared).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let releasesDirectory = packageRoot.appendingPathComponent("releases").path
let malformedDirectory = packageRoot.appendingPathComponent("Tests/Fixtures/malformed").path

struct MalformedCase: Decodable, Sendable, CustomTestStringConvertible {
    var file: String
    var exitCode: Int32
    var mentions: [String]
    var note: String
    var testDescription: String { file }

    static let all: [MalformedCase] = {
        struct Cases: Decodable { var cases: [MalformedCase] }
        let data = try! Data(contentsOf: URL(fileURLWithPath: malformedDirectory).appendingPathComponent("cases.json"))
        return try! JSONDecoder().decode(Cases.self, from: data).cases
    }()
}

/// A scratch releases directory with the repository's schema, inventory and channels, removed afterwards.
struct ScratchReleases {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("alga-release-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("channels"), withIntermediateDirectories: true)
        for name in ["schema.json", "images.json"] {
            try FileManager.default.copyItem(
                atPath: (releasesDirectory as NSString).appendingPathComponent(name), toPath: root.appendingPathComponent(name).path)
        }
    }

    /// Writes `bytes` as `<version>/release.json` and returns its path.
    @discardableResult
    func write(version: String, bytes: Data) throws -> String {
        let dir = root.appendingPathComponent(version)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("release.json")
        try bytes.write(to: file)
        return file.path
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

import Testing
