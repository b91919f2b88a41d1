import ApplianceModel
import ApplianceStatus
import Foundation
import KubernetesRead
import NIOConcurrencyHelpers
import NIOCore
import ReleaseModel

/// Single-flight, rate-limited collection: whatever the request rate, one collection runs at a
/// time and a new one starts at most every `refresh` seconds, and only when someone asks. Requests
/// get the last entry at once (stale-while-revalidate); only the very first request waits.
public actor StatusCache {
    public typealias Collect = @Sendable () async throws -> Snapshot

    let collect: Collect
    let refresh: TimeInterval
    let sourceKind: String
    let render: @Sendable (Snapshot, Date) -> StatusDocument
    let model: ApplianceModel
    let onCollection: @Sendable (CollectionLog) -> Void

    private var lastGood: (snapshot: Snapshot, at: Date)?
    private var inFlight: Task<StatusEntry, Never>?
    private var lastStart: Date?
    private var count = 0

    public struct CollectionLog: Sendable {
        public var number: Int
        public var milliseconds: Int
        public var error: String?
    }

    /// - Parameters:
    ///   - model: the appliance the rules judge the cluster by.
    ///   - render: the status rules applied to a snapshot at a time (the server passes siteId, lock
    ///     sizes); by default the rules with `model`.
    public init(
        sourceKind: String, refresh: TimeInterval, model: ApplianceModel, collect: @escaping Collect,
        render: (@Sendable (Snapshot, Date) -> StatusDocument)? = nil,
        onCollection: @escaping @Sendable (CollectionLog) -> Void = { _ in }
    ) {
        self.sourceKind = sourceKind
        self.refresh = refresh
        self.collect = collect
        self.model = model
        self.render = render ?? { ApplianceStatusRules.status($0, now: $1, model: model) }
        self.onCollection = onCollection
    }

    /// The last entry and when its collection started. Read without entering the actor while no
    /// refresh is due: most requests take only this lock.
    private nonisolated let fresh = NIOLockedValueBox<(entry: StatusEntry, started: Date)?>(nil)

    nonisolated func current(now: Date = Date()) async -> StatusEntry {
        let refresh = refresh
        if let entry = fresh.withLockedValue({ $0.flatMap { now.timeIntervalSince($0.started) < refresh ? $0.entry : nil } }) { return entry }
        return await currentOrRefresh(now: now)
    }

    private func currentOrRefresh(now: Date) async -> StatusEntry {
        let due = lastStart.map { now.timeIntervalSince($0) >= refresh } ?? true
        if due && inFlight == nil { start(now: now) }
        if let entry = fresh.withLockedValue({ $0?.entry }) { return entry }
        return await inFlight!.value
    }

    private func start(now: Date) {
        lastStart = now
        count += 1
        let number = count
        inFlight = Task {
            let began = Date()
            let result: Result<Snapshot, any Error>
            do { result = .success(try await collect()) } catch { result = .failure(error) }
            return self.finish(result, number: number, began: began)
        }
    }

    private func finish(_ result: Result<Snapshot, any Error>, number: Int, began: Date) -> StatusEntry {
        let ended = Date()
        var error: String?
        let snapshot: Snapshot
        switch result {
        case .success(let s):
            snapshot = s
            lastGood = (s, ended)
        case .failure(let e):
            let message = "\(e)"
            error = message
            // The last good observation, flagged as such, says more than an empty page; with none,
            // the document says only that the API cannot be reached.
            snapshot = lastGood?.snapshot ?? Snapshot.unreachable(message, at: ended)
        }
        var document = render(snapshot, snapshot.probes?.observedAt ?? ended)
        document.source = StatusDocument.SourceState(
            kind: sourceKind, reachable: error == nil, error: error, lastAttemptAt: ended, lastSuccessAt: lastGood?.at)
        let entry = StatusEntry(document: document, diagnostics: Diagnostics(document, snapshot: snapshot, model: model), collectedAt: ended)
        fresh.withLockedValue { $0 = (entry, lastStart ?? ended) }
        inFlight = nil
        onCollection(CollectionLog(number: number, milliseconds: Int(ended.timeIntervalSince(began) * 1000), error: error))
        return entry
    }
}
