import Foundation

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
        return unit == 0 ? "\(bytes) B" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}
