import ArgumentParser
import Foundation
import JSONDocument
import RegistryCheck
import RegistryRules
import ReleaseModel

enum CheckFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case text, json, github, junit
}
