import ArgumentParser
import Foundation
import ReleaseModel

struct AlgaRelease: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alga-release",
        abstract: "Gate releases of the Alga PSA appliance: validate manifests, list their images, check them in the registry.",
        discussion: """
            RELEASE is a version under --releases-dir (1.0-rc5), a channel (channel:stable), or a path to a release.json or its folder (releases/1.0-rc5).

            stdout carries the result (one JSON document with --format json); messages for people go to stderr.

            \(ExitStatus.table)
            """,
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, ImagesCommand.self, CheckCommand.self, RenderCommand.self, LintManifestsCommand.self, PlanCommand.self, NewCommand.self,
            PromoteCommand.self, DiffCommand.self, MirrorCommand.self, BundleCommand.self, ServeBundleCommand.self,
            StatusCommand.self,
            StatusTokenCommand.self, ListCommand.self,
        ]
    )
}
