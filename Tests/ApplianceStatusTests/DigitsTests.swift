import Foundation
import TestSupport
import Testing
import TextFormat

/// `Digits` writes what `String(format:)` wrote where the project used it.
@Suite struct DigitsTests {
    @Test func paddedIsPrintfsZeroPadding() {
        var generator = SplitMix(seed: 7)
        for _ in 0..<2_000 {
            let value = Int(generator.next() % 1_000_000_000)
            let width = Int(generator.next() % 12)
            #expect(Digits.padded(value, width: width) == String(format: "%0\(width)d", value))
            #expect(Digits.padded(value, radix: 8, width: width) == String(format: "%0\(width)o", value))
            #expect(Digits.padded(value, radix: 16, width: width) == String(format: "%0\(width)x", value))
        }
    }

    @Test func hexIsTwoLowercaseDigitsPerByte() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Digits.hex(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Digits.hex([]) == "")
    }
}

/// Byte counts in words, decimal units as registries report them; each unit starts at its 1,000.
@Suite struct ByteSizeTests {
    @Test(arguments: [
        (0, "0 B"), (999, "999 B"), (1_000, "1.0 KB"), (1_060, "1.1 KB"), (999_949, "999.9 KB"), (1_000_000, "1.0 MB"), (3_248_328, "3.2 MB"),
        (1_000_000_000, "1.0 GB"), (1_000_000_000_000_000, "1000.0 TB"),
    ])
    func bytesInWords(bytes: Int, text: String) {
        #expect(ByteSize.text(bytes) == text)
    }
}
