import ArgumentParser
import Foundation
import ReleaseModel

/// The exit codes every command shares.
enum ExitStatus {
    static let success: Int32 = 0
    /// The command ran and found a failing condition (invalid manifest, missing image, drift).
    static let failed: Int32 = 1
    /// The input could not be used (missing file, not JSON, unknown release or channel).
    static let unusableInput: Int32 = 2
    /// A remote could not be asked, so no verdict (unreachable or rate-limited registry).
    static let indeterminate: Int32 = 3
    /// Usage errors, as ArgumentParser reports them.
    static let usage: Int32 = 64

    static let table = """
        EXIT CODES:
          0   success
          1   a failing condition was found (invalid manifest, missing image)
          2   the input could not be used (missing file, not JSON, unknown release)
          3   indeterminate: a registry could not be asked (unreachable, 429)
          64  usage error (unknown option, missing argument)
        """
}
