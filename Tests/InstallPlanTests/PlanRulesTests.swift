import ApplianceModel
import InstallPlan
import ManifestRender
import ReleaseModel
import Testing
import Yams

/// The install plan's pure parts: helm-controller's merge, the kubelet's reading of an image, the
/// containers of every pod-owning kind, and the judgement of what was collected.
@Suite struct PlanRulesTests {
    static func node(_ yaml: String) throws -> Node { try #require(try Yams.compose(yaml: yaml)) }

    @Test func mapsMergeAndEverythingElseReplaces() throws {
        let base = try Self.node("a: {b: 1, c: [1, 2]}\nd: x\n")
        let merged = ValuesMerge.merge(base, try Self.node("a: {c: [3], e: 5}\nd: null\n"))
        #expect(merged["a"]?["b"]?.int == 1)
        #expect(merged["a"]?["c"]?.sequence?.count == 1)
        #expect(merged["a"]?["e"]?.int == 5)
        #expect(merged["d"]?.null != nil)
        let set = ValuesMerge.setting("db.image.tag", to: "probe", in: base)
        #expect(ValuesMerge.value(in: set, at: "db.image.tag")?.string == "probe")
        #expect(set["a"]?["b"]?.int == 1)
    }

    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest"), ("redis:7.4", "docker.io/library/redis:7.4"),
        ("bitnami/kubectl:latest", "docker.io/bitnami/kubectl:latest"), ("ghcr.io/a/b:1", "ghcr.io/a/b:1"),
    ])
    func imagesAreReadAsTheKubeletReadsThem(image: String, ref: String) {
        #expect(PodImages.normalized(image)?.description == ref)
    }

    @Test func everyPodOwningKindAndEveryContainerList() throws {
        let cron = try PlanObject.parse(
            """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: sweep, namespace: msp}
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      initContainers: [{name: prep, image: busybox}]
                      containers: [{name: run, image: "redis:7.4", imagePullPolicy: Always}]
                      ephemeralContainers: [{name: debug, image: "alpine:3"}]
            """, source: "test")
        let containers = PodImages.containers(of: try #require(cron.first))
        #expect(containers.map(\.name) == ["prep", "run", "debug"])
        #expect(containers.first?.isInit == true && containers[1].pullPolicy == "Always")
    }

    /// A workload of the model pulling its declared image is declared; the same image in a pod no
    /// component owns is not, and a missing non-optional Secret is a problem while an optional one is not.
    @Test func judgement() throws {
        let model = ApplianceModel.standard
        let tree = try PlanObject.parse(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: appliance-status, namespace: appliance-system}
            spec:
              template:
                spec:
                  containers: [{name: server, image: "ghcr.io/nine-minds/appliance-status:0.1.0"}]
                  volumes:
                    - {name: token, secret: {secretName: appliance-status-auth}}
                    - {name: extra, secret: {secretName: nobody-makes-this, optional: true}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: stray, namespace: appliance-system}
            spec:
              template:
                spec:
                  containers: [{name: x, image: "ghcr.io/nine-minds/appliance-status:0.1.0"}]
                  volumes: [{name: s, secret: {secretName: nobody-makes-this}}]
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: appliance-system}
            """, source: "entry")
        let image = ResolvedImage(
            ref: try ImageReference(parsing: "ghcr.io/nine-minds/appliance-status:0.1.0"), key: "applianceStatus", tier: .platform, loginBlocking: true,
            source: .pinned(tag: "0.1.0", digest: nil), uses: [ImageUse(component: "appliance-status", values: [])])
        let plan = PlanRules.evaluate(
            .init(tree: tree, charts: [:], references: [], problems: []), release: "r", entry: "e", images: [image], model: model)
        let pulled = try #require(plan.images.first)
        #expect(!pulled.declared, "the stray Deployment is no workload the model declares it for")
        #expect(pulled.pulledBy.count == 2)
        let missing = plan.problems.filter { $0.rule == .missingReference }
        #expect(missing.count == 1 && missing[0].object == "Deployment appliance-system/stray", "\(missing)")
        #expect(plan.references.contains { $0.name == "appliance-status-auth" && $0.providedBy == .bootstrap })
        #expect(plan.verdict == .fail)
    }
}
