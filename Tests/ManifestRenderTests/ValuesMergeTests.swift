import ManifestRender
import Testing
import Yams

/// helm-controller's order: every valuesFrom source merged in turn, later over earlier, and the
/// inline spec.values over all of them; maps merge key by key, everything else is replaced.
@Suite struct ValuesMergeTests {
    static func node(_ yaml: String) throws -> Node { try #require(try Yams.compose(yaml: yaml)) }

    static let release = """
        spec:
          valuesFrom:
            - kind: ConfigMap
              name: first
            - kind: ConfigMap
              name: second
              valuesKey: v.yaml
          values:
            image: {tag: inline}
            inlineOnly: true
        """

    @Test(arguments: [
        // (what first says, what second says, the path, the value the chart gets)
        ("image: {tag: first}", "image: {tag: second}", "image.tag", "inline"),
        ("a: first", "a: second", "a", "second"),
        ("a: first", "b: second", "a", "first"),
        ("image: {repository: r1}", "image: {pullPolicy: Always}", "image.repository", "r1"),
        ("image: {repository: r1}", "image: {pullPolicy: Always}", "image.pullPolicy", "Always"),
        ("list: [1, 2]", "list: [3]", "list", "[3]"),
    ])
    func inlineValuesWinOverValuesFromAndLaterSourcesOverEarlier(first: String, second: String, path: String, value: String) throws {
        let sources = ["first": try Self.node(first), "second": try Self.node(second)]
        let composed = ValuesMerge.compose(try Self.node(Self.release)) { source in
            source.name == "second" && source.key != "v.yaml" ? nil : sources[source.name]
        }
        let found = try #require(ValuesMerge.value(in: composed, at: path))
        let text = try found.string ?? Yams.serialize(node: found).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text == value || (value == "[3]" && text == "- 3"), "\(path): \(text)")
        #expect(ValuesMerge.value(in: composed, at: "inlineOnly")?.bool == true)
    }

    @Test func aSourceTheLookupLacksAddsNothing() throws {
        let composed = ValuesMerge.compose(try Self.node(Self.release)) { _ in nil }
        #expect(ValuesMerge.value(in: composed, at: "image.tag")?.string == "inline")
        #expect(ValuesMerge.value(in: composed, at: "a") == nil)
    }
}
