/// The exit codes of both executables (alga-release and appliance-status): one table, so a
/// script reads the same number the same way whichever it ran.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// The command ran and found a failing condition (invalid manifest, missing image, drift).
    public static let failed: Int32 = 1
    /// The input could not be used (missing file, not JSON, unknown release or channel).
    public static let unusableInput: Int32 = 2
    /// A remote could not be asked, so no verdict (unreachable or rate-limited registry).
    public static let indeterminate: Int32 = 3
    /// Usage errors, as ArgumentParser reports them.
    public static let usage: Int32 = 64

    public static let table = """
        EXIT CODES:
          0   success
          1   a failing condition was found (invalid manifest, missing image)
          2   the input could not be used (missing file, not JSON, unknown release)
          3   indeterminate: a registry could not be asked (unreachable, 429)
          64  usage error (unknown option, missing argument)
        """
}
