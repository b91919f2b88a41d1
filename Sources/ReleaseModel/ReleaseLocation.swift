import Foundation
import JSONDocument

/// Where a release argument led.
public struct ReleaseLocation: Sendable, Equatable {
    /// The release.json file.
    public var file: String
    /// The folder the manifest sits in (its name should be the version).
    var folderName: String?
    /// The releases directory that holds schema.json, appliance.json and channels/.
    public var releasesDirectory: String
    /// Set when the argument was `channel:NAME`.
    public var channel: ReleaseChannel?
}
