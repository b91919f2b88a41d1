/// Work over many registry objects with at most `limit` in flight: the one sliding window of the
/// checks and the copies (a registry sees a steady number of connections, never all at once).
package enum BoundedConcurrency {
    /// `transform` of every item, at most `limit` at once; results in the order of `items`.
    package static func map<T: Sendable, R: Sendable>(
        _ items: [T], limit: Int, done: (@Sendable (_ finished: Int, _ total: Int) -> Void)? = nil, _ transform: @escaping @Sendable (T) async -> R
    ) async -> [R] {
        var results = [R?](repeating: nil, count: items.count)
        await withTaskGroup(of: (Int, R).self) { group in
            var next = 0
            var finished = 0
            func launch() {
                let index = next
                next += 1
                group.addTask { (index, await transform(items[index])) }
            }
            while next < items.count && next < max(1, limit) { launch() }
            for await (index, result) in group {
                results[index] = result
                finished += 1
                done?(finished, items.count)
                if next < items.count { launch() }
            }
        }
        return results.map { $0! }
    }
}
