import Foundation
import NIOSSL

/// A Kubernetes API server stand-in (no kube-apiserver package exists here): serves a recorded
/// scenario's list files by path, paginated by limit/continue, single objects of those lists,
/// /readyz, and 401 without the expected token.
public enum FakeKubeAPI {
    public static func start(scenario folder: URL, tls: TLSConfiguration, token: String?) async throws -> LoopbackHTTPServer {
        let files: [String: String] = [
            "/api/v1/nodes": "nodes.json", "/api/v1/namespaces/msp/pods": "pods-msp.json", "/api/v1/events": "events.json",
            "/apis/apps/v1/namespaces/msp/deployments": "deployments-msp.json", "/apis/apps/v1/namespaces/msp/statefulsets": "statefulsets-msp.json",
            "/apis/batch/v1/namespaces/msp/jobs": "jobs-msp.json", "/api/v1/namespaces/msp/persistentvolumeclaims": "pvcs-msp.json",
            "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations": "kustomizations.json",
            "/apis/helm.toolkit.fluxcd.io/v2/namespaces/alga-system/helmreleases": "helmreleases.json",
            "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories": "gitrepositories.json",
            "/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/ocirepositories": "ocirepositories.json",
        ]
        return try await LoopbackHTTPServer(tls: tls) { request in
            if let token, request.header("Authorization") != "Bearer \(token)" {
                return .respond(
                    status: 401, headers: [("Content-Type", "application/json")],
                    body: Array(#"{"kind":"Status","status":"Failure","message":"Unauthorized","code":401}"#.utf8))
            }
            if request.path == "/readyz" { return .respond(status: 200, body: Array("ok".utf8)) }
            // GET of one object: look it up in its list.
            if files[request.path] == nil, let slash = request.path.lastIndex(of: "/"), let file = files[String(request.path[..<slash])],
                let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
                let items = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [[String: Any]]
            {
                let name = String(request.path[request.path.index(after: slash)...])
                if let item = items.first(where: { ($0["metadata"] as? [String: Any])?["name"] as? String == name }),
                    let body = try? JSONSerialization.data(withJSONObject: item)
                {
                    return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body))
                }
            }
            guard let file = files[request.path], let data = try? Data(contentsOf: folder.appendingPathComponent(file)),
                var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let items = object["items"] as? [Any]
            else { return .respond(status: 404, body: Array(#"{"kind":"Status","code":404}"#.utf8)) }
            let query = Dictionary(request.query, uniquingKeysWith: { a, _ in a })
            let limit = Int(query["limit"] ?? "") ?? items.count
            let offset = Int(query["continue"] ?? "") ?? 0
            let end = min(items.count, offset + max(1, limit))
            object["items"] = Array(items[min(offset, items.count)..<end])
            var metadata = object["metadata"] as? [String: Any] ?? [:]
            metadata["continue"] = end < items.count ? String(end) : ""
            object["metadata"] = metadata
            let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(body))
        }
    }
}
