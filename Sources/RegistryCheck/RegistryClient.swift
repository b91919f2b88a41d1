import AsyncHTTPClient
import BoundedHTTP
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RegistryRules

/// HTTP for the Distribution API: the challenge flow, a token cache shared by all checks, retries,
/// deadlines. Credentials go only to the registry they belong to and its token realm; AsyncHTTPClient
/// drops Authorization on cross-origin redirects (blob storage).
public final class RegistryClient: Sendable {
    package let http: HTTPClient
    let credentials: CredentialStore
    package let retry: RetryPolicy
    package let deadline: NIODeadline
    let tokens = TokenCache()
    let logger: Logger
    /// Every secret of this run, so no echo of one is printed.
    package let redactor = Redactor()
    /// `--insecure`: token realms (like mirrors) may be plain http off loopback.
    let insecure: Bool

    /// - Parameter deadline: nothing is retried past it; the whole run's `--timeout`.
    public init(http: HTTPClient, credentials: CredentialStore, retry: RetryPolicy, deadline: NIODeadline, logger: Logger, insecure: Bool = false) {
        self.http = http
        self.insecure = insecure
        self.credentials = credentials
        self.retry = retry
        self.deadline = deadline
        self.logger = logger
        for secret in credentials.secrets { redactor.add(secret) }
    }

    /// Shuts the HTTP client down once every check is done (the client owns no other resource).
    public func shutdown() async throws { try await http.shutdown() }

    /// An HTTPClient sized for `concurrency` parallel checks against one host.
    public static func makeHTTPClient(concurrency: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(tlsConfiguration: .boundedClient())
        configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, concurrency))
        // Our own retry loop decides (attempts, backoff, deadline); the pool's would silently spend
        // the whole connect timeout on a registry that refuses connections.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Sends a request through the challenge flow.
    /// - Parameters:
    ///   - registry: the source registry host (credentials are looked up by it).
    ///   - scope: the token scope, `repository:<name>:pull` (`pull,push` to write).
    ///   - body: sent whole, with `contentType` (a manifest; nothing for an upload's start).
    package func send(
        method: HTTPMethod, url: String, accept: String?, registry: String, scope: String, maxBody: Int = 4 << 20, body: ByteBuffer? = nil,
        contentType: String? = nil
    ) async -> Exchange {
        var authorization: String? = await tokens.cached(registry: registry, scope: scope)
        var authLabel = authorization == nil ? "anonymous" : "bearer"
        var refreshedAuth = false
        // Once a registry has challenged us, answer its challenge up front for every new scope:
        // that saves the 401 round trip on every repository after the first.
        if authorization == nil, let known = await tokens.challenge(for: registry) {
            if known.isBearer, case .success(let token) = await bearerToken(challenge: known, registry: registry, scope: scope, discard: nil) {
                authorization = "Bearer \(token.value)"
                authLabel = token.label
            } else if known.isBasic, let credential = credentials.credential(for: registry) {
                authorization = credential.basicHeader
                authLabel = "basic (\(credential.origin))"
            }
        }
        var attempt = 0
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: url)
            request.method = method
            if let accept { request.headers.add(name: "Accept", value: accept) }
            if let authorization { request.headers.add(name: "Authorization", value: authorization) }
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            let response: BoundedResponse
            let answer: ByteBuffer?
            do {
                // Head and body within the request's deadline (itself within the run's): a registry
                // dripping its answer cannot stretch `--timeout`. The body is read to its end even
                // for HEAD, so the connection goes back to the pool.
                // A write without a body still says it has none (Content-Length: 0, as Distribution wants).
                let sent = body ?? (method == .POST || method == .PUT ? ByteBuffer() : nil)
                response = try await http.boundedExecute(request, body: sent, deadline: requestDeadline(), maxBody: maxBody)
                answer = method == .HEAD ? nil : response.body
            } catch {
                let detail = describe(error)
                if let wait = retryDelay(attempt: attempt, retryAfter: nil) {
                    logger.debug("retrying after transport error", metadata: ["url": "\(url)", "error": "\(detail)"])
                    try? await Task.sleep(for: .seconds(wait))
                    continue
                }
                return .unreachable(detail: "\(detail) (after \(attempt) attempt\(attempt == 1 ? "" : "s"))", transport: TransportFailure(error))
            }
            let status = Int(response.status.code)
            switch status {
            case 401 where !refreshedAuth:
                refreshedAuth = true
                let header = response.headers[canonicalForm: "WWW-Authenticate"].joined(separator: ", ")
                guard let challenges = Challenge.parse(header) else {
                    return .unreachable(detail: "the registry answered 401 with a malformed WWW-Authenticate challenge: \(redactor.clean(header.prefix(200)))")
                }
                if let bearer = challenges.first(where: \.isBearer) {
                    await tokens.remember(bearer, for: registry)
                    switch await bearerToken(challenge: bearer, registry: registry, scope: scope, discard: authorization) {
                    case .success(let token):
                        authorization = "Bearer \(token.value)"
                        authLabel = token.label
                        continue
                    case .failure(let exchange):
                        return exchange
                    }
                } else if let basic = challenges.first(where: \.isBasic) {
                    await tokens.remember(basic, for: registry)
                    guard let credential = credentials.credential(for: registry) else {
                        return .denied(detail: "the registry requires credentials (Basic) and none were given for \(registry)", auth: "anonymous")
                    }
                    authorization = credential.basicHeader
                    authLabel = "basic (\(credential.origin))"
                    continue
                } else {
                    return .unreachable(detail: "the registry asked for an unsupported authentication scheme: \(redactor.clean(header.prefix(200)))")
                }
            case 429:
                let retryAfter = Self.retryAfter(response.headers.first(name: "Retry-After"))
                if let wait = retryDelay(attempt: attempt, retryAfter: retryAfter) {
                    try? await Task.sleep(for: .seconds(wait))
                    continue
                }
                let said = [errorSummary(answer), response.headers.first(name: "Retry-After").map { "Retry-After \($0)" } ?? ""]
                    .filter { !$0.isEmpty }.joined(separator: ", ")
                return .rateLimited(detail: "HTTP 429\(said.isEmpty ? "" : " (\(said))") still after \(attempt) attempt\(attempt == 1 ? "" : "s")")
            case 500...599:
                if let wait = retryDelay(attempt: attempt, retryAfter: Self.retryAfter(response.headers.first(name: "Retry-After"))) {
                    try? await Task.sleep(for: .seconds(wait))
                    continue
                }
                return .unreachable(detail: "HTTP \(status) \(errorSummary(answer)) after \(attempt) attempt\(attempt == 1 ? "" : "s")")
            default:
                return .response(status: status, headers: response.headers, body: answer, auth: authLabel)
            }
        }
    }

    /// The Authorization header a request for `scope` carries now (a cached token, or Basic once
    /// the registry asked for it): for a streamed upload, which cannot answer a challenge midway.
    package func authorization(registry: String, scope: String) async -> String? {
        if let token = await tokens.cached(registry: registry, scope: scope) { return token }
        if let known = await tokens.challenge(for: registry), known.isBasic { return credentials.credential(for: registry)?.basicHeader }
        return nil
    }

    private func requestDeadline() -> NIODeadline {
        min(deadline, NIODeadline.after(seconds: retry.requestTimeout))
    }

    /// The delay before the next attempt, or nil when attempts or time are used up.
    private func retryDelay(attempt: Int, retryAfter: Double?) -> Double? {
        guard attempt < retry.maxAttempts else { return nil }
        var wait = retry.backoff(attempt: attempt)
        if let retryAfter { wait = max(retry.minimumRetryAfter, retryAfter) + Double.random(in: 0...0.1) }
        guard wait <= retry.maximumDelay, NIODeadline.now() + .milliseconds(Int64(wait * 1000)) < deadline else { return nil }
        return wait
    }

    /// `Retry-After` is seconds (possibly fractional) or an HTTP date.
    static func retryAfter(_ value: String?) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        // A registry's number: inf and nan are not waits, and huge ones are cut by maximumDelay.
        if let seconds = Double(value) { return seconds.isFinite ? max(0, seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = formatter.date(from: value) { return max(0, date.timeIntervalSinceNow) }
        return nil
    }

    /// `{"errors":[{"code","message"}]}` → `MANIFEST_UNKNOWN: manifest unknown`, cleaned of secrets
    /// and capped (a registry may echo the request).
    package func errorSummary(_ body: ByteBuffer?) -> String {
        redactor.clean(RegistryErrors.parse(body.map { Data(buffer: $0) }).map { "\($0.text): \($0.message)" }.joined(separator: "; "))
    }

    /// The first bytes of a body that is not a registry error, cleaned, for a person to see what answered.
    package func excerpt(_ body: ByteBuffer?) -> String {
        guard let body, body.readableBytes > 0 else { return "an empty body" }
        let text = String(decoding: body.readableBytesView.prefix(120), as: UTF8.self)
        return "\"\(redactor.clean(text))\""
    }

    /// A transport error in words; the cause comes from the error's type (`TransportFailure`).
    package func describe(_ error: any Error) -> String {
        if let error = error as? BoundedExchangeError { return "\(error)" }
        if let error = error as? HTTPClientError, error == .remoteConnectionClosed { return "the connection was closed by the registry" }
        switch TransportFailure(error) {
        case .dns: return "the host name does not resolve (\(error))"
        case .connect:
            if let io = error as? IOError { return "could not connect: \(String(cString: strerror(io.errnoCode)))" }
            return "could not connect (\(error))"
        case .timeout: return "timed out (\(error))"
        case nil: return "\(error)"
        }
    }

    struct Token: Sendable {
        var value: String
        var label: String
    }

    private func bearerToken(challenge: Challenge, registry: String, scope: String, discard: String?) async -> Result<Token, Exchange> {
        guard let realm = challenge.parameters["realm"], var components = URLComponents(string: realm), components.host != nil else {
            return .failure(.unreachable(detail: "the registry's Bearer challenge has no usable realm"))
        }
        // The realm is the registry's word, and credentials go to it: the mirror rule applies.
        if let refusal = TransportRule.refusal(components, insecure: insecure) {
            return .failure(.unreachable(detail: "the registry's token realm \(redactor.clean(realm.prefix(120))) is refused: \(refusal)"))
        }
        let service = challenge.parameters["service"]
        // A challenge may name a scope of its own (e.g. insufficient_scope); ours is the one we need.
        let wanted = challenge.parameters["scope"] ?? scope
        var query = components.queryItems ?? []
        if let service { query.append(URLQueryItem(name: "service", value: service)) }
        query.append(URLQueryItem(name: "scope", value: wanted))
        components.queryItems = query
        guard let url = components.string else {
            return .failure(.unreachable(detail: "the registry's Bearer realm is not a URL"))
        }
        let credential = credentials.credential(for: registry)
        if let discard { await tokens.invalidate(registry: registry, scope: scope, value: discard) }
        return await tokens.token(registry: registry, scope: scope) {
            await self.fetchToken(url: url, credential: credential)
        }
    }

    private func fetchToken(url: String, credential: RegistryCredential?) async -> Result<TokenCache.Entry, Exchange> {
        var attempt = 0
        let authLabel = credential.map { "bearer (token from \($0.origin))" } ?? "bearer (anonymous token)"
        while true {
            attempt += 1
            var request = HTTPClientRequest(url: url)
            if let credential { request.headers.add(name: "Authorization", value: credential.basicHeader) }
            do {
                let response = try await http.boundedExecute(request, deadline: requestDeadline(), maxBody: 1 << 20)
                let body = response.body
                let status = Int(response.status.code)
                switch status {
                case 200:
                    guard let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(buffer: body)),
                        let token = answer.token.flatMap({ $0.isEmpty ? nil : $0 }) ?? answer.accessToken, !token.isEmpty
                    else {
                        return .failure(.unreachable(detail: "the token endpoint answered 200 without a token"))
                    }
                    redactor.add(token)
                    // The spec's default is 60 s; a shorter lifetime is raised to 60 s like containers/image
                    // does, and a longer one is kept to a day (the number is the token server's).
                    let lifetime = min(86_400, max(60, answer.expiresIn.flatMap { $0.isFinite ? $0 : nil } ?? 60))
                    return .success(TokenCache.Entry(value: token, label: authLabel, expires: Date().addingTimeInterval(lifetime - 5)))
                case 401, 403:
                    let who = credential.map { "with the credentials from \($0.origin)" } ?? "anonymously"
                    return .failure(
                        .denied(
                            detail:
                                "the token endpoint refused a pull token \(who) (HTTP \(status) \(errorSummary(body))): the repository is private or does not exist; the registry does not say which",
                            auth: authLabel))
                case 429, 500...599:
                    if let wait = retryDelay(attempt: attempt, retryAfter: Self.retryAfter(response.headers.first(name: "Retry-After"))) {
                        try? await Task.sleep(for: .seconds(wait))
                        continue
                    }
                    let detail = "the token endpoint answered HTTP \(status) after \(attempt) attempts"
                    return .failure(status == 429 ? .rateLimited(detail: detail) : .unreachable(detail: detail))
                default:
                    return .failure(.unreachable(detail: "the token endpoint answered HTTP \(status) \(errorSummary(body))"))
                }
            } catch {
                if let wait = retryDelay(attempt: attempt, retryAfter: nil) {
                    try? await Task.sleep(for: .seconds(wait))
                    continue
                }
                return .failure(.unreachable(detail: "token endpoint: \(describe(error))", transport: TransportFailure(error)))
            }
        }
    }
}
