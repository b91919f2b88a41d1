import Foundation
import TestSupport

/// A real Distribution registry (Debian's `docker-registry`) on 127.0.0.1, started for a test or
/// the demo and stopped with it.
public final class RegistryProcess: @unchecked Sendable {
    public enum Auth: Sendable {
        case none
        /// A bcrypt htpasswd file (Distribution accepts no other hash).
        case htpasswd(path: String)
        case token(realm: String, service: String, issuer: String, rootCertificatePath: String)
    }

    public struct StartError: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    public let directory: URL
    private let process: Subprocess

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    var hostPort: String { "127.0.0.1:\(port)" }

    /// The `docker-registry` binary: DOCKER_REGISTRY_BIN, then /usr/bin/docker-registry.
    public static var binary: String {
        ProcessInfo.processInfo.environment["DOCKER_REGISTRY_BIN"] ?? "/usr/bin/docker-registry"
    }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// - Parameter storage: the blob store; registries sharing it serve the same images, so one can
    ///   be seeded without auth and another serve them behind auth.
    public init(storage: URL, auth: Auth) async throws {
        guard Self.isAvailable else {
            throw StartError(description: "\(Self.binary) not found: install Debian's docker-registry package (scripts/test does)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var lastError = "no attempt"
        // A free port is found by binding to 0; another process may take it before the registry
        // binds, so a failed start is retried on a new port.
        for _ in 0..<5 {
            let port = try Self.freePort()
            let config = directory.appendingPathComponent("config.yml")
            try Self.config(port: port, storage: storage, auth: auth).write(to: config, atomically: true, encoding: .utf8)
            let log = directory.appendingPathComponent("registry.log")
            // A small shell watches this process and kills the registry when it is gone, so a test
            // run that dies (or never stops its lab) leaves no registry behind.
            let process = try Subprocess(
                "/bin/sh",
                [
                    "-c",
                    #""$0" serve "$1" & child=$!; parent=$PPID; trap 'kill "$child" 2>/dev/null; exit 0' TERM INT; "#
                        + #"while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 0.3; done; kill "$child" 2>/dev/null; wait"#,
                    Self.binary, config.path,
                ], log: log)
            if await Self.waitUntilServing(port: port, process: process.process) {
                self.port = port
                self.process = process
                return
            }
            process.terminate()
            _ = process.finishedBlocking()
            lastError = (try? String(contentsOf: log, encoding: .utf8)) ?? "no log"
        }
        throw StartError(description: "docker-registry did not start: \(lastError.suffix(500))")
    }

    public func stop() {
        process.terminate()
        _ = process.finishedBlocking()
        try? FileManager.default.removeItem(at: directory)
    }

    static func config(port: Int, storage: URL, auth: Auth) -> String {
        var yaml = """
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(storage.path)
              delete:
                enabled: true
              maintenance:
                uploadpurging:
                  enabled: false
            http:
              addr: 127.0.0.1:\(port)
              secret: alga-release-test-secret

            """
        switch auth {
        case .none:
            break
        case .htpasswd(let path):
            yaml += "auth:\n  htpasswd:\n    realm: alga-release-test\n    path: \(path)\n"
        case .token(let realm, let service, let issuer, let certificate):
            yaml += "auth:\n  token:\n    realm: \(realm)\n    service: \(service)\n    issuer: \(issuer)\n    rootcertbundle: \(certificate)\n"
        }
        return yaml
    }

    static func waitUntilServing(port: Int, process: Process) async -> Bool {
        for _ in 0..<100 {
            guard process.isRunning else { return false }
            if canConnect(port: port) { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    public static func freePort() throws -> Int {
        let (fd, port) = try boundSocket()
        close(fd)
        return port
    }

    /// A TCP socket bound to a free port on 127.0.0.1 (not listening), and the port.
    static func boundSocket() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StartError(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw StartError(description: "bind() failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

/// A loopback port that refuses connections for as long as it is held: bound but not listening,
/// so no other server of a parallel test can take it (a port found free and released can be).
public final class ClosedPort: Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        (fd, port) = try RegistryProcess.boundSocket()
    }

    deinit { close(fd) }
}
