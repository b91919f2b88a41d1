/// A byte count for a person, in decimal units as registries report them (`3.3 KB`, `1.9 GB`):
/// the check table, the status page and the status text say sizes the same way.
public enum ByteSize {
    public static func text(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        guard unit > 0 else { return "\(bytes) B" }
        // One decimal, rounded half to even as printf's %.1f does; no Foundation formatter (the
        // status server links without ICU). `value` is below 1e7 here, so the product fits an Int.
        let tenths = Int((value * 10).rounded(.toNearestOrEven))
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
