import ArgumentParser
import ReleaseModel

struct ImagesDocument: Encodable {
    var release: String
    var images: [ResolvedImage]
}
