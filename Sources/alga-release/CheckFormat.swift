import ArgumentParser
import AsyncHTTPClient
import BoundedHTTP
import Foundation
import JSONDocument
import Logging
import NIOCore
import RegistryCheck
import ReleaseModel

enum CheckFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    case text, json, github, junit
}
