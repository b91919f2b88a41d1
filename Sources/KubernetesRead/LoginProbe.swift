import ApplianceModel
import ApplianceStatus
import AsyncHTTPClient
import BoundedHTTP
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOSSL
import ReleaseModel

/// The login probe: an HTTP HEAD to the app, with the original's redirect rules (a redirect counts
/// only when it goes to the dashboard, the login page or the app's own host).
public enum LoginProbe {
    /// Seconds the probe waits for the app, at most (within a collection's own deadline).
    public static let seconds: Double = 3

    public static func run(url: String, deadline: NIODeadline = NIODeadline.after(seconds: seconds)) async -> Probes.LoginProbe {
        // Redirects are judged, not followed.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { Task { try? await http.shutdown() } }
        var request = HTTPClientRequest(url: url)
        request.method = .HEAD
        do {
            let response = try await http.boundedExecute(request, deadline: deadline, maxBody: 1 << 16)
            let code = Int(response.status.code)
            let location = response.headers.first(name: "Location")
            var reachable = (200..<400).contains(code)
            if [301, 302, 307, 308].contains(code) {
                let host = URL(string: url)?.host ?? ""
                reachable = location.map { $0.contains("/msp/dashboard") || $0.contains("/login") || (!host.isEmpty && $0.contains(host)) } ?? true
            }
            return Probes.LoginProbe(url: url, checked: true, reachable: reachable, statusCode: code, location: location, error: nil)
        } catch {
            return Probes.LoginProbe(url: url, checked: true, reachable: false, statusCode: nil, location: nil, error: "\(error)")
        }
    }
}
