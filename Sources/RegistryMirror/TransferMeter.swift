import NIOConcurrencyHelpers
import NIOCore

/// A run's progress as it passes: bytes (sent, or found at the target already) against the bytes
/// planned, and images whose every blob is done, for the progress line's rate and ETA.
final class TransferMeter: Sendable {
    private struct State {
        var done = 0
        var total = 0
        /// Blobs still to go, per image.
        var remaining: [Int] = []
    }
    private let state = NIOLockedValueBox(State())
    let started = NIODeadline.now()

    func add(_ bytes: Int) { state.withLockedValue { $0.done = $0.done &+ bytes } }

    /// What the run will move: every blob once, and each image's count of blobs.
    func plan(bytes: Int, blobsPerImage: [Int]) {
        state.withLockedValue {
            $0.total = bytes
            $0.remaining = blobsPerImage
        }
    }

    func blobDone(image: Int) {
        state.withLockedValue { if $0.remaining.indices.contains(image) { $0.remaining[image] -= 1 } }
    }

    var snapshot: (done: Int, total: Int, images: Int) {
        state.withLockedValue { ($0.done, $0.total, $0.remaining.filter { $0 <= 0 }.count) }
    }

    /// Reports the run's progress every half second until cancelled.
    func ticker(images: Int, report: @escaping @Sendable (CopyProgress) -> Void) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                let now = snapshot
                report(
                    CopyProgress(
                        bytesDone: now.done, bytesTotal: now.total, imagesDone: now.images, imagesTotal: images,
                        seconds: Double((NIODeadline.now() - started).nanoseconds) / 1e9))
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }
}
