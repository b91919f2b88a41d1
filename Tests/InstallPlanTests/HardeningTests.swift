import Foundation
import InstallPlan
import Testing
import YAMLInput
import Yams

/// What the plan reads from outside, bounded: YAML by its expanded size, kustomize's reach by real
/// paths, and the tools it runs by time, output, memory and environment.
@Suite struct BoundedYAMLTests {
    /// Ten levels of ten aliases each: 600 bytes that stand for 10^10 nodes.
    static let bomb: String = {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...10 {
            let previous = "*a\(level - 1)"
            lines.append("a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func aBillionLaughsIsRefusedQuickly() throws {
        #expect(Self.bomb.utf8.count < 700)
        let started = ContinuousClock.now
        #expect(throws: BoundedYAML.Refusal.expands(limit: BoundedYAML.nodeLimit(forBytes: Self.bomb.utf8.count))) {
            _ = try BoundedYAML.documents(Self.bomb)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test(arguments: [
        // Anchors as values files use them: shared defaults, merged.
        ("defaults: &d {cpu: 1, memory: 2Gi}\na: *d\nb: *d\nc: {<<: *d, cpu: 2}\n", 1),
        ("---\nkind: A\n---\nkind: B\n", 2),
        ("", 0),
    ])
    func ordinaryYAMLIsRead(text: String, documents: Int) throws {
        #expect(try BoundedYAML.documents(text).count == documents)
    }

    @Test func notYAMLSaysSo() {
        #expect(throws: BoundedYAML.Refusal.self) { _ = try BoundedYAML.documents("a: [1, 2\n") }
        #expect(throws: BoundedYAML.Refusal.self) { _ = try BoundedYAML.document("---\na: 1\n---\nb: 2\n") }
    }

    /// The bound is counted as nodes are put on the walk's stack: a wide node of aliases cannot
    /// make the stack hold more than the budget either.
    @Test func aWideFanOutOfAliasesIsRefusedToo() {
        let wide =
            "a: &a [" + Array(repeating: "x", count: 2_000).joined(separator: ", ") + "]\nb: [" + Array(repeating: "*a", count: 2_000).joined(separator: ", ")
            + "]\n"
        #expect(throws: BoundedYAML.Refusal.self) { _ = try BoundedYAML.documents(wide) }
    }
}

@Suite struct TreeConfinementTests {
    /// A scratch repository with `files` (path → text) and `links` (path → target), and a file outside it.
    static func repository(_ files: [String: String], links: [String: String] = [:]) throws -> (root: URL, outside: URL) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("confine-\(UUID().uuidString)")
        let root = base.appendingPathComponent("repo")
        let outside = base.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try "apiVersion: v1\nkind: Secret\nmetadata: {name: stolen}\n".write(
            to: outside.appendingPathComponent("secret.yaml"), atomically: true, encoding: .utf8)
        try "resources: [secret.yaml]\n".write(to: outside.appendingPathComponent("kustomization.yaml"), atomically: true, encoding: .utf8)
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        for (path, target) in links {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target.replacingOccurrences(of: "$OUTSIDE", with: outside.path))
        }
        return (root, outside)
    }

    static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"

    @Test func aTreeInsideItsRepositoryPasses() throws {
        let (root, _) = try Self.repository([
            "base/kustomization.yaml": "resources: [cm.yaml, ../common]\nconfigMapGenerator:\n- name: v\n  files: [values.yaml=values/v.yaml]\n",
            "base/cm.yaml": Self.configMap, "base/values/v.yaml": "a: 1\n",
            "common/kustomization.yaml": "resources: [cm.yaml]\npatches:\n- path: patch.yaml\n- patch: |\n    kind: X\n",
            "common/cm.yaml": Self.configMap, "common/patch.yaml": Self.configMap,
        ])
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        try TreeConfinement(root: root).checkBuild(of: root.appendingPathComponent("base").path)
    }

    @Test(arguments: [
        ("a resource up and out", ["base/kustomization.yaml": "resources: [../../outside/secret.yaml]\n"], [String: String](), "outside the repository"),
        ("a base up and out", ["base/kustomization.yaml": "resources: [../../outside]\n"], [:], "outside the repository"),
        ("an absolute path", ["base/kustomization.yaml": "resources: [/etc/passwd]\n"], [:], "outside the repository"),
        ("a link to a file outside", ["base/kustomization.yaml": "resources: [cm.yaml]\n"], ["base/cm.yaml": "$OUTSIDE/secret.yaml"], "outside the repository"),
        ("a linked folder", ["base/kustomization.yaml": "resources: [linked]\n"], ["base/linked": "$OUTSIDE"], "outside the repository"),
        (
            "a generator's file", ["base/kustomization.yaml": "configMapGenerator:\n- name: x\n  files: [k=../../outside/secret.yaml]\n"], [:],
            "outside the repository"
        ),
        ("a patch's path", ["base/kustomization.yaml": "patches:\n- path: ../../outside/secret.yaml\n"], [:], "outside the repository"),
        ("an http resource", ["base/kustomization.yaml": "resources: [http://127.0.0.1:9/x.yaml]\n"], [:], "remote resource"),
        ("a git repository", ["base/kustomization.yaml": "resources: [github.com/org/repo//deploy?ref=v1]\n"], [:], "remote resource"),
        ("nothing there", ["base/kustomization.yaml": "resources: [nope.yaml]\n"], [:], "does not exist"),
    ])
    func whatLeavesTheRepositoryIsRefused(what: String, files: [String: String], links: [String: String], says: String) throws {
        let (root, _) = try Self.repository(files, links: links)
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        do {
            try TreeConfinement(root: root).checkBuild(of: root.appendingPathComponent("base").path)
            Issue.record("\(what): not refused")
        } catch {
            #expect(error.description.contains(says), "\(what): \(error)")
        }
    }

    @Test func aChartFolderWithALinkOutIsRefused() throws {
        let (root, _) = try Self.repository(["chart/Chart.yaml": "name: c\nversion: 0.1.0\n"], links: ["chart/templates/x.yaml": "$OUTSIDE/secret.yaml"])
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        #expect(throws: TreeConfinement.Refusal.self) { try TreeConfinement(root: root).checkChart(root.appendingPathComponent("chart").path) }
        let (linked, _) = try Self.repository([:], links: ["chart": "$OUTSIDE"])
        defer { try? FileManager.default.removeItem(at: linked.deletingLastPathComponent()) }
        #expect(throws: TreeConfinement.Refusal.self) { try TreeConfinement(root: linked).checkChart(linked.appendingPathComponent("chart").path) }
    }
}

@Suite struct ExternalToolTests {
    /// A script as the tool, in a scratch folder.
    static func tool(_ script: String) throws -> ExternalTool {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString).sh")
        try ("#!/bin/sh\n" + script + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return ExternalTool(name: "tool", path: url.path)
    }

    @Test func eachRunGetsTwoMinutesAtMost() {
        #expect(ExternalTool.Limits.standard.seconds == 120)
        #expect(ExternalTool.Limits.standard.maxOutput == 64 << 20)
        #expect(ExternalTool.Limits.standard.maxMemory == 2 << 30)
    }

    /// The run's secrets stay with the run: the tool sees PATH and its own scratch home only.
    @Test func theToolGetsNoneOfTheCallersEnvironment() async throws {
        setenv("ALGA_REGISTRY_TOKEN", "registry-token-never-in-a-child", 1)
        setenv("ALGA_TARGET_PASSWORD", "target-password-never-in-a-child", 1)
        defer {
            unsetenv("ALGA_REGISTRY_TOKEN")
            unsetenv("ALGA_TARGET_PASSWORD")
        }
        let tool = try Self.tool("env")
        defer { try? FileManager.default.removeItem(atPath: tool.path) }
        let output = try await tool.run([])
        #expect(!output.contains("never-in-a-child") && !output.contains("ALGA_"), "\(output)")
        #expect(output.contains("HTTPS_PROXY=http://127.0.0.1:9") && output.contains("PATH="), "\(output)")
    }

    /// Output past the cap is stopped as it is written (the kernel's file-size limit), not after
    /// the tool has filled the disk.
    @Test func outputPastTheCapEndsTheRun() async throws {
        let tool = try Self.tool("exec cat /dev/zero")
        defer { try? FileManager.default.removeItem(atPath: tool.path) }
        let started = ContinuousClock.now
        await #expect(throws: ToolFailure.outputTooLarge(tool: "tool", limit: 1 << 20)) {
            _ = try await tool.run([], limits: .init(seconds: 60, maxOutput: 1 << 20, maxMemory: 2 << 30))
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func aToolPastItsMemoryEnds() async throws {
        // Python allocates a gigabyte under a 256 MiB address space.
        let tool = try Self.tool("exec python3 -c 'x = bytearray(1 << 30)'")
        defer { try? FileManager.default.removeItem(atPath: tool.path) }
        await #expect(throws: ToolFailure.outOfMemory(tool: "tool", limit: 256 << 20)) {
            _ = try await tool.run([], limits: .init(seconds: 60, maxOutput: 1 << 20, maxMemory: 256 << 20))
        }
    }

    /// Exactly the cap is too much: the cap is what no plan reaches, and the message says "or more".
    @Test func outputOfExactlyTheCapIsRefused() async throws {
        let tool = try Self.tool("exec head -c 4096 /dev/zero")
        defer { try? FileManager.default.removeItem(atPath: tool.path) }
        await #expect(throws: ToolFailure.outputTooLarge(tool: "tool", limit: 4096)) {
            _ = try await tool.run([], limits: .init(seconds: 60, maxOutput: 4096, maxMemory: 2 << 30))
        }
        let under = try Self.tool("exec head -c 4095 /dev/zero")
        defer { try? FileManager.default.removeItem(atPath: under.path) }
        #expect(try await under.run([], limits: .init(seconds: 60, maxOutput: 4096, maxMemory: 2 << 30)).utf8.count == 4095)
    }

    @Test func aToolPastItsTimeEnds() async throws {
        let tool = try Self.tool("exec sleep 30")
        defer { try? FileManager.default.removeItem(atPath: tool.path) }
        let started = ContinuousClock.now
        await #expect(throws: ToolFailure.timedOut(tool: "tool", seconds: 1)) {
            _ = try await tool.run([], limits: .init(seconds: 1, maxOutput: 1 << 20, maxMemory: 2 << 30))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
