import AsyncHTTPClient
import BoundedHTTP
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RegistryRules

/// Tokens per registry and scope, fetched once however many checks race for them.
actor TokenCache {
    struct Entry: Sendable {
        var value: String
        var label: String
        var expires: Date
    }

    private var entries: [String: Entry] = [:]
    private var challenges: [String: Challenge] = [:]
    private var inFlight: [String: Task<Result<Entry, Exchange>, Never>] = [:]

    private func key(_ registry: String, _ scope: String) -> String { "\(registry)\u{0}\(scope)" }

    func remember(_ challenge: Challenge, for registry: String) {
        var general = challenge
        // The scope and error of one answer belong to that request, not to the registry.
        general.parameters["scope"] = nil
        general.parameters["error"] = nil
        challenges[registry] = general
    }

    func challenge(for registry: String) -> Challenge? { challenges[registry] }

    func cached(registry: String, scope: String) -> String? {
        guard let entry = entries[key(registry, scope)], entry.expires > Date() else { return nil }
        return "Bearer \(entry.value)"
    }

    func invalidate(registry: String, scope: String, value: String) {
        if let entry = entries[key(registry, scope)], "Bearer \(entry.value)" == value {
            entries[key(registry, scope)] = nil
        }
    }

    func token(
        registry: String, scope: String, fetch: @escaping @Sendable () async -> Result<Entry, Exchange>
    ) async -> Result<RegistryClient.Token, Exchange> {
        let k = key(registry, scope)
        if let entry = entries[k], entry.expires > Date() { return .success(.init(value: entry.value, label: entry.label)) }
        let task: Task<Result<Entry, Exchange>, Never>
        if let running = inFlight[k] {
            task = running
        } else {
            task = Task { await fetch() }
            inFlight[k] = task
        }
        let result = await task.value
        inFlight[k] = nil
        switch result {
        case .success(let entry):
            entries[k] = entry
            return .success(.init(value: entry.value, label: entry.label))
        case .failure(let exchange):
            return .failure(exchange)
        }
    }
}
