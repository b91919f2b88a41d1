import TestSupport
import Testing

@testable import ReleaseModel

/// `ImageReference`'s byte-by-byte grammar checks accept exactly what distribution's expressions
/// (which they replaced) accept, on texts stitched from the grammars' pieces and their near misses.
@Suite struct ReferenceGrammarTests {
    static let pieces = ["a", "z", "0", "9", "A", "Z", ".", "_", "__", "-", "--", "sha256:", "f", "g", "é", "\u{301}", "٣", " ", "/", "\r\n", ":"]

    static func texts(seed: UInt64, count: Int, maxPieces: Int) -> [String] {
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let n = Int(generator.next() % UInt64(maxPieces + 1))
            return (0..<n).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
        }
    }

    @Test func pathComponents() {
        for text in Self.texts(seed: 1, count: 20_000, maxPieces: 8) {
            #expect(ImageReference.isPathComponent(text) == (text.wholeMatch(of: /[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*/) != nil), "\(text.debugDescription)")
        }
    }

    @Test func tags() {
        let long = [String(repeating: "a", count: 128), String(repeating: "a", count: 129), "_" + String(repeating: "-", count: 127)]
        for text in Self.texts(seed: 2, count: 20_000, maxPieces: 8) + long {
            #expect(ImageReference.isTag(text) == (text.wholeMatch(of: /[A-Za-z0-9_][A-Za-z0-9_.\-]{0,127}/) != nil), "\(text.debugDescription)")
        }
    }

    @Test func digests() {
        let hex = String(repeating: "0123456789abcdef", count: 4)
        let near = [
            "sha256:" + hex, "sha256:" + String(hex.dropLast()), "sha256:" + hex + "0", "sha256:" + hex.uppercased(), "sha512:" + hex,
            "sha256:" + String(hex.dropLast()) + "é",
        ]
        for text in Self.texts(seed: 3, count: 5_000, maxPieces: 6) + near {
            #expect(ImageReference.isDigest(text) == (text.wholeMatch(of: /sha256:[a-f0-9]{64}/) != nil), "\(text.debugDescription)")
        }
        #expect(ImageReference.isDigest("sha256:" + hex))
    }
}
