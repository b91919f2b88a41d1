import ApplianceModel
import ApplianceStatus
import AsyncHTTPClient
import BoundedHTTP
import Foundation
import JSONDocument
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationCompat
import NIOSSL
import ReleaseModel

/// A read-only client of the Kubernetes API: every list the status rules need, concurrently,
/// paginated with limit/continue. It never writes.
public final class LiveCluster: Sendable {
    public let server: String
    let http: HTTPClient
    /// Re-read on every collection: an in-cluster service-account token rotates.
    let token: @Sendable () -> String?
    let limits: ObservationLimits
    /// Reading with the pod's service account (`inCluster()`), not a kubeconfig.
    public let inCluster: Bool
    /// Which namespaces hold what: the lists follow the model.
    public let model: ApplianceModel

    /// The lists, by the path they are read from: the workloads' lists in every namespace a
    /// component runs in, Jobs in the application's, the Flux objects in theirs.
    public static func lists(for model: ApplianceModel) -> [String] {
        let workloads = model.workloadNamespaces.flatMap { namespace in
            [
                "/api/v1/namespaces/\(namespace)/pods", "/apis/apps/v1/namespaces/\(namespace)/deployments",
                "/apis/apps/v1/namespaces/\(namespace)/statefulsets",
                "/api/v1/namespaces/\(namespace)/persistentvolumeclaims",
            ]
        }
        let (app, flux, helm) = (model.namespaces.app, model.namespaces.flux, model.namespaces.helmReleases)
        return ["/api/v1/nodes", "/api/v1/events"] + workloads + [
            "/apis/batch/v1/namespaces/\(app)/jobs",
            "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/\(flux)/kustomizations", "/apis/helm.toolkit.fluxcd.io/v2/namespaces/\(helm)/helmreleases",
            "/apis/source.toolkit.fluxcd.io/v1/namespaces/\(flux)/gitrepositories", "/apis/source.toolkit.fluxcd.io/v1/namespaces/\(flux)/ocirepositories",
        ]
    }

    public init(kubeconfig: Kubeconfig, limits: ObservationLimits = ObservationLimits(), model: ApplianceModel) throws(InputError) {
        var tls = TLSConfiguration.boundedClient()
        do {
            if let ca = kubeconfig.certificateAuthorityPEM { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(ca)) }
            if kubeconfig.insecureSkipTLSVerify { tls.certificateVerification = .none }
            if let cert = kubeconfig.clientCertificatePEM, let key = kubeconfig.clientKeyPEM {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(cert).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            }
        } catch {
            throw InputError(file: "kubeconfig", reason: "its certificates or key cannot be loaded: \(error)")
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(20))
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        server = kubeconfig.server
        let staticToken = kubeconfig.token
        token = { staticToken }
        self.limits = limits
        self.model = model
        inCluster = false
    }

    /// In a pod: the service account's token (re-read each time), CA and the API's service address.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment, directory: String = "/var/run/secrets/kubernetes.io/serviceaccount",
        model: ApplianceModel
    ) throws(InputError) -> LiveCluster {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], let port = environment["KUBERNETES_SERVICE_PORT"] else {
            throw InputError(file: "--in-cluster", reason: "KUBERNETES_SERVICE_HOST/PORT are not set: not running in a pod")
        }
        let tokenPath = (directory as NSString).appendingPathComponent("token")
        let config = Kubeconfig(
            server: "https://\(host.contains(":") ? "[\(host)]" : host):\(port)",
            certificateAuthorityPEM: (try? RegularFile.read((directory as NSString).appendingPathComponent("ca.crt"), maxBytes: Kubeconfig.maxBytes)).map(
                Array.init),
            insecureSkipTLSVerify: false, clientCertificatePEM: nil, clientKeyPEM: nil, token: nil)
        let cluster = try LiveCluster(kubeconfig: config, model: model)
        return LiveCluster(
            copying: cluster,
            token: {
                (try? RegularFile.read(tokenPath, maxBytes: Kubeconfig.maxBytes)).map { String(decoding: $0, as: UTF8.self) }?.trimmingCharacters(
                    in: .whitespacesAndNewlines)
            })
    }

    private init(copying other: LiveCluster, token: @escaping @Sendable () -> String?) {
        server = other.server
        http = other.http
        limits = other.limits
        model = other.model
        self.token = token
        inCluster = true
    }

    public func shutdown() async { try? await http.shutdown() }

    /// One observation: all lists at once, then previous logs of crash-looping containers; all of
    /// it, bodies included, before `deadline`.
    public func read(deadline: NIODeadline = NIODeadline.after(seconds: 30)) async throws(ClusterUnreachable) -> Snapshot {
        var snapshot = Snapshot()
        var readyz = ""
        var pages: [(String, [Page])] = []
        let lists = Self.lists(for: model)
        let budget = ByteBudget(limit: limits.maxTotalBytes)
        do {
            // /readyz and every list in one round: on a slow link each sequential step costs a
            // connection, a TLS handshake and a request.
            let results = try await withThrowingTaskGroup(of: (String, [Page]).self) { group in
                group.addTask { ("/readyz", [Page(data: try await self.get("/readyz", deadline: deadline, budget: budget), kind: nil)]) }
                for path in lists { group.addTask { (path, try await self.list(path, deadline: deadline, budget: budget)) } }
                var all: [(String, [Page])] = []
                for try await result in group { all.append(result) }
                return all
            }
            readyz = String(decoding: results.first { $0.0 == "/readyz" }?.1.first?.data ?? Data(), as: UTF8.self)
            pages = results.filter { $0.0 != "/readyz" }.sorted { (lists.firstIndex(of: $0.0) ?? 0) < (lists.firstIndex(of: $1.0) ?? 0) }
        } catch {
            throw ClusterUnreachable(server: server, reason: "\(error)")
        }
        for (path, documents) in pages {
            for page in documents {
                guard let kind = page.kind else { continue }
                do { try SnapshotDecoding.add(page.data, kind: kind, to: &snapshot) } catch {
                    throw ClusterUnreachable(server: server, reason: "\(path) answered a \(kind) that cannot be read: \(error)")
                }
            }
        }
        snapshot.probes = Probes(observedAt: Date(), readyz: readyz.trimmingCharacters(in: .whitespacesAndNewlines), loginProbe: nil, seededUsersCount: nil)
        // The Temporal schema error and the service-link collision show only in the previous log.
        for pod in snapshot.pods {
            for status in pod.allContainerStatuses where status.state?.waiting?.reason == "CrashLoopBackOff" {
                let namespace = pod.metadata.namespace ?? model.namespaces.app
                // Names from the API go into a request path only when they are names.
                guard [namespace, pod.metadata.name, status.name].allSatisfy(ObjectName.isValid) else { continue }
                let path = "/api/v1/namespaces/\(namespace)/pods/\(pod.metadata.name)/log?container=\(status.name)&previous=true&tailLines=80"
                if let log = try? await get(path, deadline: deadline, budget: budget) {
                    snapshot.previousLogs["\(namespace)/\(pod.metadata.name)/\(status.name)"] = String(decoding: log, as: UTF8.self)
                }
            }
        }
        return snapshot
    }

    struct APIError: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes one observation has read so far, against `maxTotalBytes`.
    final class ByteBudget: Sendable {
        private let used = NIOLockedValueBox(0)
        let limit: Int
        init(limit: Int) { self.limit = limit }

        func spend(_ bytes: Int, on path: String) throws {
            try used.withLockedValue { used in
                used = used.addingReportingOverflow(bytes).partialValue
                if used > limit || used < 0 {
                    throw APIError(description: "GET \(path): the observation passed \(limit >> 20) MiB in all; the API answers far more than an appliance has")
                }
            }
        }
    }

    /// One page of a list and its List kind, read from its header once while paginating.
    struct Page: Sendable {
        var data: Data
        var kind: String?
    }

    /// Every page of a list: `limit` and `continue` until the server says there is no more, within
    /// the page, item and byte limits, and never the same continue token twice.
    func list(_ path: String, deadline: NIODeadline, budget: ByteBudget) async throws -> [Page] {
        var pages: [Page] = []
        var token = ""
        var seen: Set<String> = []
        var items = 0
        repeat {
            guard pages.count < limits.maxPages else {
                throw APIError(
                    description: "GET \(path): still more after \(limits.maxPages) pages of \(limits.pageSize); stopped (an appliance has far fewer objects)")
            }
            var query = "limit=\(limits.pageSize)"
            if !token.isEmpty { query += "&continue=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token)" }
            let data = try await get("\(path)?\(query)", deadline: deadline, budget: budget)
            let page: SnapshotDecoding.ListHeader
            do { page = try SnapshotDecoding.header(data) } catch { throw APIError(description: "GET \(path): answered something that is not JSON") }
            pages.append(Page(data: data, kind: page.kind))
            items = items.addingReportingOverflow(page.items).partialValue
            guard items <= limits.maxItems, items >= 0 else {
                throw APIError(description: "GET \(path): more than \(limits.maxItems) items; stopped (an appliance has far fewer objects)")
            }
            token = page.continueToken ?? ""
            if !token.isEmpty, !seen.insert(token).inserted {
                throw APIError(description: "GET \(path): the API answered the same continue token twice; the list would never end")
            }
        } while !token.isEmpty
        return pages
    }

    func get(_ path: String, deadline: NIODeadline, budget: ByteBudget) async throws -> Data {
        var request = HTTPClientRequest(url: server + path)
        request.headers.add(name: "Accept", value: "application/json")
        if let token = token() { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response: BoundedResponse
        do {
            response = try await http.boundedExecute(
                request, deadline: min(deadline, NIODeadline.after(seconds: limits.requestSeconds)), maxBody: limits.maxBodyBytes)
        } catch let error as BoundedExchangeError {
            throw APIError(description: "GET \(path): \(error)")
        }
        try budget.spend(response.body.readableBytes, on: path)
        guard response.status.code == 200 else {
            let message = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])?["message"] as? String
            throw APIError(description: "GET \(path): HTTP \(response.status.code)\(message.map { " \(String($0.prefix(300)))" } ?? "")")
        }
        return Data(buffer: response.body)
    }
}
