/// Where a copy (`mirror`, `bundle`) is, for a progress line.
public struct CopyProgress: Sendable {
    public var bytesDone: Int
    public var bytesTotal: Int
    public var imagesDone: Int
    public var imagesTotal: Int
    public var seconds: Double
}
