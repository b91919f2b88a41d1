import Foundation
import Testing

/// The wrong kind of path for an option (issue #11, item 8): exit 2 with a reason naming the path
/// and what it should have been, never a blank line, "no such file" for a directory, or a raw
/// Foundation error.
@Suite struct PathKindCLITests {
    static let folder = FileManager.default.temporaryDirectory.appendingPathComponent("path-kinds-\(UUID().uuidString)")
    static let file = folder.appendingPathComponent("a-file")
    static let empty = folder.appendingPathComponent("empty")

    static func prepare() throws {
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: file)
    }

    @Test(arguments: [
        (["list", "--releases-dir", "EMPTY"], "holds no release"),
        (["list", "--releases-dir", "FILE"], "is a file"),
        (["check", "--refs-from", "EMPTY"], "is a directory, not a file of references"),
        (["status", "--snapshot", "Tests/Fixtures/k8s/healthy-full", "--lock", "EMPTY"], "is a directory, not a lock file"),
        (["status", "--kubeconfig", "EMPTY"], "is a directory, not a kubeconfig"),
        (["render", "1.0-rc5", "--out", "FILE"], "is a file; --out takes the directory"),
        (["validate", "releases/appliance.json"], "is the appliance model, not a release manifest"),
        (["validate", "releases/schema.json"], "is the release schema, not a release manifest"),
    ])
    func wrongKindsOfPath(arguments: [String], says: String) async throws {
        try Self.prepare()
        let args = arguments.map { $0 == "EMPTY" ? Self.empty.path : $0 == "FILE" ? Self.file.path : $0 }
        let run = try await CLI.run(args)
        #expect(run.status == 2, "\(args): \(run.stderr)")
        #expect(run.stderr.contains(says), "\(args): \(run.stderr)")
        #expect(!run.stderr.contains("NSCocoaErrorDomain") && !run.stderr.contains("DecodingError"), "\(run.stderr)")
    }

    /// A FIFO where a file is read (a channel file, a lock, a report) is refused at once: opening
    /// one for reading would wait forever for a writer.
    @Test func aFIFOIsRefusedNotWaitedOn() async throws {
        let scratch = try PromoteCLITests.releases()
        defer { scratch.remove() }
        let channel = scratch.path("channels/stable.json")
        try FileManager.default.removeItem(atPath: channel)
        #expect(mkfifo(channel, 0o644) == 0)
        let lock = scratch.path("lock.json")
        #expect(mkfifo(lock, 0o644) == 0)
        for arguments in [
            ["validate", "channel:stable"], ["list"], ["check", "1.0-rc5", "--verify-lock", lock],
            ["promote", "stable", "1.0-rc5.1", "--report", lock, "--allow-downgrade"],
        ] {
            let started = ContinuousClock.now
            let run = try await CLI.run(arguments + ["--releases-dir", scratch.root.path])
            #expect(ContinuousClock.now - started < .seconds(20), "\(arguments) waited")
            // list goes on past an unreadable channel, naming it; the others stop.
            let said = arguments == ["list"] ? run.status == 0 && run.stdout.contains("is a FIFO") : run.status == 2 && run.stderr.contains("is a FIFO")
            #expect(said, "\(arguments): \(run.stdout)\(run.stderr)")
        }
    }
}
