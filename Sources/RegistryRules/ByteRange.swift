import Foundation

/// A `Range: bytes=FIRST-[LAST]` or `bytes=-SUFFIX` header against a blob of `size` bytes, as a
/// registry answers it (one range; several are not asked for by pull clients).
public enum ByteRange: Sendable, Equatable {
    /// No Range header, or one this server ignores (another unit): the whole blob, 200.
    case whole
    /// 206 with these bytes.
    case part(ClosedRange<Int>)
    /// 416: nothing of the blob is in that range.
    case unsatisfiable

    public init(header: String?, size: Int) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count)
        let sides = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard sides.count == 2, size > 0 else {
            self = size == 0 ? .unsatisfiable : .whole
            return
        }
        if sides[0].isEmpty {
            guard let suffix = Int(sides[1]), suffix > 0 else {
                self = .unsatisfiable
                return
            }
            self = .part(max(0, size - suffix)...(size - 1))
            return
        }
        guard let first = Int(sides[0]), first >= 0, first < size else {
            self = .unsatisfiable
            return
        }
        if sides[1].isEmpty {
            self = .part(first...(size - 1))
            return
        }
        guard let last = Int(sides[1]), last >= first else {
            self = .unsatisfiable
            return
        }
        self = .part(first...min(last, size - 1))
    }
}
