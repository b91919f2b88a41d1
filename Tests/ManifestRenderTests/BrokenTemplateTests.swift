import ReleaseModel
import TestSupport
import Testing

@testable import ManifestRender

/// A template broken on purpose: the file, the text replaced, and what must catch it.
struct Breakage: Sendable, CustomStringConvertible {
    var name: String
    var file: String
    var replace: String
    var with: String
    /// The lint rule that must fire, or nil when the renderer itself must refuse.
    var rule: String?
    /// Other rules the same breakage rightly fires too.
    var also: Set<String> = []
    var description: String { name }

    static let all: [Breakage] = [
        Breakage(
            name: "a create verb", file: "base/platform/appliance-status.yaml", replace: #"resources: ["pods/log"]"# + "\n    verbs: [\"get\"]",
            with: #"resources: ["pods/log"]"# + "\n    verbs: [\"get\", \"create\"]", rule: "rbac.read-only"),
        Breakage(
            name: "secrets readable", file: "base/platform/appliance-status.yaml", replace: #""persistentvolumeclaims", "configmaps""#,
            with: #""persistentvolumeclaims", "configmaps", "secrets""#, rule: "rbac.no-secrets"),
        Breakage(
            name: "a wildcard", file: "base/platform/appliance-status.yaml", replace: #"apiGroups: ["batch"]"#, with: #"apiGroups: ["*"]"#,
            rule: "rbac.no-wildcard"),
        Breakage(
            name: "no enableServiceLinks on the UI", file: "base/background/temporal.yaml",
            replace:
                "    name: temporal-ui\n              spec:\n                template:\n                  spec:\n                    enableServiceLinks: false",
            with: "    name: temporal-ui\n              spec:\n                template:\n                  spec:\n                    hostNetwork: false",
            rule: "pod.service-links"),
        // The server's Deployment too (#17: only the UI's removal was tested, and skipping the server passed).
        Breakage(
            name: "no enableServiceLinks on the server", file: "base/background/temporal.yaml",
            replace:
                "    name: temporal\n              spec:\n                template:\n                  spec:\n                    enableServiceLinks: false",
            with: "    name: temporal\n              spec:\n                template:\n                  spec:\n                    hostNetwork: false",
            rule: "pod.service-links"),
        Breakage(name: "no autosetup", file: "base/background/temporal.yaml", replace: "entrypoint.sh autosetup", with: "entrypoint.sh", rule: "pod.command"),
        Breakage(
            name: "a cycle in the tiers", file: "base/flux/kustomizations.yaml",
            replace: "  name: alga-platform\n  namespace: flux-system\nspec:\n",
            with: "  name: alga-platform\n  namespace: flux-system\nspec:\n  dependsOn:\n    - name: alga-background\n",
            rule: "tiers"),
        Breakage(
            name: "an image not in the inventory", file: "base/platform/appliance-status.yaml", replace: #"image: "${IMAGE_APPLIANCE_STATUS}""#,
            with: "image: docker.io/library/nginx:1.27\n          env:\n            - name: UNUSED\n              value: \"${IMAGE_APPLIANCE_STATUS}\"",
            rule: "images.inventory"),
        Breakage(
            name: "a latest tag", file: "release/values/pgbouncer.yaml", replace: #"tag: "${IMAGE_PGBOUNCER_TAG}""#,
            with: "tag: latest\n  note: \"${IMAGE_PGBOUNCER_TAG}\"", rule: "images.latest", also: ["images.values"]),
        // What the model says (#12): which Kustomization a HelmRelease belongs to, which value path a chart reads.
        Breakage(
            name: "core releases under the background tier's path", file: "base/flux/kustomizations.yaml", replace: #"path: "${FLUX_PATH}/base/core""#,
            with: #"path: "${FLUX_PATH}/base/background""#, rule: "model.placement"),
        Breakage(
            name: "the server image at a path the chart does not read", file: "release/values/alga-core.yaml", replace: "server:\n  image:\n    name:",
            with: "server:\n  image:\n    repository:", rule: "images.values"),
        // Tags in one place (#14): the release's values, never base/; the chart's literal image pinned.
        Breakage(
            name: "a release's tag written in base/", file: "base/core/pgbouncer.yaml", replace: "      pullPolicy: IfNotPresent",
            with: "      pullPolicy: IfNotPresent\n      tag: \"${IMAGE_PGBOUNCER_TAG}\"\n      note: \"${RELEASE_VERSION}\"", rule: nil),
        Breakage(
            name: "the chart's literal busybox left unpinned", file: "base/core/alga-core.yaml", replace: "          - name: busybox\n",
            with: "          - name: busybox-not-the-chart's\n", rule: "images.values"),
        Breakage(
            name: "a HelmRelease installing into another namespace than the model's", file: "base/core/pgbouncer.yaml", replace: "  targetNamespace: msp",
            with: "  targetNamespace: default", rule: "model.namespace"),
        Breakage(
            name: "a component's HelmRelease renamed", file: "base/core/pgbouncer.yaml", replace: "  name: pgbouncer\n  namespace: alga-system",
            with: "  name: pg-bouncer\n  namespace: alga-system", rule: "model.placement", also: ["helm.depends-on"]),
        Breakage(
            name: "y as a value", file: "base/namespaces.yaml",
            replace: "pod-security.kubernetes.io/warn: privileged\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: msp",
            with: "pod-security.kubernetes.io/warn: privileged\n    debug: y\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: msp",
            rule: "yaml.ambiguous-scalar"),
        Breakage(name: "no remediation retries", file: "base/core/alga-core.yaml", replace: "retries: 5", with: "retries: 0", rule: "helm.remediation"),
        Breakage(
            name: "depends on a missing release", file: "base/background/email-service.yaml", replace: "    - name: pgbouncer", with: "    - name: pg-bouncer",
            rule: "helm.depends-on"),
        Breakage(name: "an unknown placeholder", file: "base/core/pgbouncer.yaml", replace: "${PROFILE}", with: "${PROFILES}", rule: nil),
        Breakage(
            name: "an unused image", file: "release/values/temporal.yaml",
            replace: "    repository: \"${IMAGE_TEMPORAL_UI_REPOSITORY}\"\n    tag: \"${IMAGE_TEMPORAL_UI_TAG}\"",
            with: "    repository: docker.io/temporalio/ui\n    tag: \"2.30.0\"", rule: nil),
        Breakage(
            name: "a placeholder in a key", file: "base/namespaces.yaml", replace: "  name: alga-system", with: "  name: alga-system\n  ${PROFILE}: x",
            rule: nil),
    ]
}

@Suite struct BrokenTemplateTests {
    @Test(arguments: Breakage.all)
    func lintOrRenderCatchesIt(_ breakage: Breakage) throws {
        let fixture = try Fixture()
        var templates = try Renderer.loadTemplates(packageRoot.appendingPathComponent("templates").path)
        let index = try #require(templates.firstIndex { $0.path == breakage.file })
        #expect(templates[index].text.contains(breakage.replace), "the breakage no longer applies to \(breakage.file)")
        templates[index].text = templates[index].text.replacingOccurrences(of: breakage.replace, with: breakage.with)
        guard let rule = breakage.rule else {
            #expect(throws: RenderError.self) { try fixture.render(templates) }
            do { _ = try fixture.render(templates) } catch let error as RenderError {
                #expect(error.file == breakage.file || error.file == "templates" || error.file == "templates/\(breakage.file)", "\(error)")
            }
            return
        }
        let findings = ManifestLinter.lint(try fixture.render(templates), images: fixture.deployed, model: .standard)
        #expect(findings.contains { $0.rule == rule }, "\(rule) not in \(findings)")
        #expect(findings.allSatisfy { $0.rule == rule || breakage.also.contains($0.rule) || rule == "images.inventory" }, "\(findings)")
    }
}
