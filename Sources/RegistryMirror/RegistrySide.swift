import RegistryCheck
import RegistryRules
import ReleaseModel

/// One repository at one registry, as a copy reads or writes it: the client (with that side's
/// credentials), the repository's API root and the token scope.
struct RegistrySide: Sendable {
    let client: RegistryClient
    /// `<base URL>/v2/<repository>`.
    let root: String
    let repository: String
    /// What credentials are looked up by: the source's registry name (ghcr.io, even when read from
    /// a stand-in), the target's host.
    let registry: String
    let scope: String

    init(client: RegistryClient, endpoint: RegistryEndpoint, repository sourceRepository: String, registry: String, push: Bool) {
        self.client = client
        repository = endpoint.repository(sourceRepository)
        root = endpoint.baseURL + "/v2/" + repository
        self.registry = registry
        scope = "repository:\(repository):\(push ? "pull,push" : "pull")"
    }
}
