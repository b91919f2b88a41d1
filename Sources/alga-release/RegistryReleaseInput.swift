import ArgumentParser
import Foundation
import JSONDocument
import RegistryCheck
import RegistryRules
import ReleaseModel
import YAMLInput

/// A `RELEASE` argument that names a registry release (`oci://HOST/REPO:TAG|@sha256:…`): read
/// through the gate's client with the command's registry options, and validated as a release.
enum RegistryReleaseInput {
    /// The release read (by digest from now on) and its validation.
    struct Loaded {
        var read: RegistryReleaseReader.Read
        var report: ValidationReport
    }

    static func reference(_ argument: String, requireReference: Bool = true) throws(InputError) -> RegistryReleaseReference {
        do { return try RegistryReleaseReference(parsing: argument, requireReference: requireReference) } catch {
            throw InputError(file: argument, reason: error.description)
        }
    }

    /// Reads and validates the release. A registry that said no is unusable input (exit 2, its
    /// words); one that could not be asked is indeterminate (exit 3).
    static func load(_ argument: String, registry: RegistryOptions) async throws -> Loaded {
        let ref = try reference(argument)
        let read: RegistryReleaseReader.Read
        switch await RegistryReleaseReader.read(ref, options: try registry.source()) {
        case .success(let value): read = value
        case .failure(.notARelease(let what)): throw InputError(file: argument, reason: what)
        case .failure(.registry(let result)):
            if [.unreachable, .rateLimited].contains(result.status) {
                Console.error("error: \(argument): the registry could not be asked (\(result.status.rawValue)): \(result.detail)")
                throw ExitCode(ExitStatus.indeterminate)
            }
            throw InputError(file: argument, reason: "the registry says \(result.status.rawValue): \(result.detail)")
        }
        let report = RegistryReleaseRules.validate(
            read.document, name: read.documentName, readBy: RegistryReleaseRules.readBy(ref.image),
            yamlProblem: { text in
                do throws(BoundedYAML.Refusal) {
                    _ = try BoundedYAML.documents(text)
                    return nil
                } catch { return error.description }
            })
        return Loaded(read: read, report: report)
    }

    /// The images of a valid registry release (as `ReleaseOptions.images` for a git release).
    static func images(_ loaded: Loaded) throws -> [ResolvedImage] {
        guard let images = loaded.report.images else {
            for error in loaded.report.errors { Console.error(error.formatted) }
            throw InputError(
                file: loaded.read.documentName,
                reason:
                    "the release is not valid (\(loaded.report.errors.count) error\(loaded.report.errors.count == 1 ? "" : "s") above); see alga-release validate \(loaded.read.asked)"
            )
        }
        return images
    }
}
