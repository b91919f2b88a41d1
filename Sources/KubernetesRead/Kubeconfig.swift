import Foundation
import JSONDocument
import ReleaseModel
import YAMLInput
import Yams

/// The parts of a kubeconfig a read-only client needs, for its current context. Talos issues
/// ECDSA client certificates and embeds everything as `*-data`; file paths are accepted too.
public struct Kubeconfig: Sendable {
    public var server: String
    var certificateAuthorityPEM: [UInt8]?
    var insecureSkipTLSVerify: Bool
    var clientCertificatePEM: [UInt8]?
    var clientKeyPEM: [UInt8]?
    public var token: String?

    struct File: Decodable {
        struct NamedCluster: Decodable {
            var name: String
            var cluster: Cluster
        }
        struct Cluster: Decodable {
            var server: String
            var certificateAuthorityData: String?
            var certificateAuthority: String?
            var insecureSkipTLSVerify: Bool?
            enum CodingKeys: String, CodingKey {
                case server
                case certificateAuthorityData = "certificate-authority-data"
                case certificateAuthority = "certificate-authority"
                case insecureSkipTLSVerify = "insecure-skip-tls-verify"
            }
        }
        struct NamedContext: Decodable {
            var name: String
            var context: Context
        }
        struct Context: Decodable {
            var cluster: String
            var user: String
        }
        struct NamedUser: Decodable {
            var name: String
            var user: User?
        }
        struct User: Decodable {
            var clientCertificateData: String?
            var clientKeyData: String?
            var clientCertificate: String?
            var clientKey: String?
            var token: String?
            var tokenFile: String?
            enum CodingKeys: String, CodingKey {
                case clientCertificateData = "client-certificate-data"
                case clientKeyData = "client-key-data"
                case clientCertificate = "client-certificate"
                case clientKey = "client-key"
                case token
                case tokenFile
            }
        }
        var clusters: [NamedCluster]
        var contexts: [NamedContext]
        var users: [NamedUser]
        var currentContext: String?
        enum CodingKeys: String, CodingKey { case clusters, contexts, users, currentContext = "current-context" }
    }

    /// A kubeconfig is a few kilobytes; a larger file is not one (and YAML costs memory per byte).
    public static let maxBytes = 1 << 20

    public static func read(_ path: String) throws(InputError) -> Kubeconfig {
        let data = try InputFile.read(path, what: "kubeconfig", maxBytes: maxBytes)
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(file: path, reason: "is not UTF-8 text: not a kubeconfig") }
        return try parse(text, path: path)
    }

    /// The kubeconfig in `text`; `path` names it in errors and anchors relative file names.
    public static func parse(_ text: String, path: String) throws(InputError) -> Kubeconfig {
        let file: File
        do {
            let node: Node
            do {
                guard let document = try BoundedYAML.document(text) else { throw InputError(file: path, reason: "is empty: not a kubeconfig") }
                node = document
            } catch let refusal as BoundedYAML.Refusal {
                throw InputError(file: path, reason: "\(refusal)")
            }
            file = try YAMLDecoder().decode(File.self, from: node)
        } catch let error as InputError {
            throw error
        } catch {
            let why = (error as? DecodingError)?.readable ?? "not YAML"
            throw InputError(file: path, reason: "not a kubeconfig (\(why)); give the file kubectl or talosctl wrote (clusters, contexts, users)")
        }
        guard let contextName = file.currentContext ?? file.contexts.first?.name, let context = file.contexts.first(where: { $0.name == contextName })?.context
        else {
            throw InputError(file: path, reason: "no current-context")
        }
        guard let cluster = file.clusters.first(where: { $0.name == context.cluster })?.cluster else {
            throw InputError(file: path, reason: "context \(contextName) names the cluster \(context.cluster), which is not in the file")
        }
        let user = file.users.first { $0.name == context.user }?.user ?? nil
        let base = (path as NSString).deletingLastPathComponent
        func bytes(data: String?, file relative: String?, field: String) throws(InputError) -> [UInt8]? {
            if let data {
                guard let decoded = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
                    throw InputError(file: path, reason: "\(field) is not base64")
                }
                return Array(decoded)
            }
            guard let relative else { return nil }
            let full = relative.hasPrefix("/") ? relative : (base as NSString).appendingPathComponent(relative)
            guard let contents = try? RegularFile.read(full, maxBytes: maxBytes) else {
                throw InputError(file: full, reason: "named by \(field) in \(path), but cannot be read (a regular file of at most \(maxBytes >> 20) MiB)")
            }
            return Array(contents)
        }
        var token = user?.token
        if token == nil, let tokenFile = user?.tokenFile {
            token = (try? RegularFile.read(tokenFile, maxBytes: maxBytes)).map { String(decoding: $0, as: UTF8.self) }?.trimmingCharacters(
                in: .whitespacesAndNewlines)
        }
        return Kubeconfig(
            server: cluster.server.hasSuffix("/") ? String(cluster.server.dropLast()) : cluster.server,
            certificateAuthorityPEM: try bytes(data: cluster.certificateAuthorityData, file: cluster.certificateAuthority, field: "certificate-authority"),
            insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ?? false,
            clientCertificatePEM: try bytes(data: user?.clientCertificateData, file: user?.clientCertificate, field: "client-certificate"),
            clientKeyPEM: try bytes(data: user?.clientKeyData, file: user?.clientKey, field: "client-key"),
            token: token)
    }
}
