import Yams

/// The one way the project reads YAML: Yams composes the text, and the tree it stands for (every
/// alias counted as the copy a reader makes of it) must stay within a size proportional to the
/// text, so 600 bytes of nested anchors (a "billion laughs") are refused with the file's name
/// instead of expanding to gigabytes in whatever walks or writes the tree next. Composing itself is
/// linear: Yams shares an anchored node with its aliases until something walks them; and its
/// libyaml refuses nesting deeper than 1,000 levels, so its recursive composer stays shallow.
public enum BoundedYAML {
    /// Why a text was not used; `description` completes "FILE: ".
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case notYAML(String)
        case expands(limit: Int)

        public var description: String {
            switch self {
            case .notYAML(let why): "not valid YAML: \(why)"
            case .expands(let limit):
                "its aliases expand past \(limit) nodes (nested anchors, a \"billion laughs\"): no configuration needs that, so it is not read"
            }
        }
    }

    /// Nodes a text may stand for: generous for YAML without aliases (a node takes at least two
    /// bytes) and for the anchors real charts and values use, far below what expansion reaches.
    public static func nodeLimit(forBytes bytes: Int) -> Int { 100_000 &+ 8 &* min(bytes, 1 << 28) }

    /// Every document of `text`. Read one at a time through Yams' parser, so an error in any
    /// document is thrown (Yams' `compose_all` sequence ends quietly at one, dropping the rest),
    /// and the expansion budget is spent as the documents come.
    public static func documents(_ text: String) throws(Refusal) -> [Node] {
        var documents: [Node] = []
        var budget = nodeLimit(forBytes: text.utf8.count)
        let limit = budget
        do {
            let parser = try Parser(yaml: text)
            while let document = try parser.nextRoot() {
                try count(document, budget: &budget, limit: limit)
                documents.append(document)
            }
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw .notYAML("\(error)")
        }
        return documents
    }

    /// The one document of `text` (nil when it is empty).
    public static func document(_ text: String) throws(Refusal) -> Node? {
        let all = try documents(text)
        guard all.count <= 1 else { throw .notYAML("it holds \(all.count) documents, where one is read") }
        return all.first
    }

    /// Walks the tree as a reader expands it, without recursion, until it has seen it all or
    /// `budget` nodes: bounded by the budget, never by the expansion (a node is counted when it is
    /// put on the stack, so the stack never holds more than the budget either).
    static func count(_ root: Node, budget: inout Int, limit: Int) throws(Refusal) {
        var stack = [root]
        budget -= 1
        while let node = stack.popLast() {
            switch node {
            case .scalar, .alias: continue
            case .mapping(let mapping):
                budget -= 2 &* mapping.count
                guard budget >= 0 else { throw .expands(limit: limit) }
                for (key, value) in mapping {
                    stack.append(key)
                    stack.append(value)
                }
            case .sequence(let sequence):
                budget -= sequence.count
                guard budget >= 0 else { throw .expands(limit: limit) }
                stack.append(contentsOf: sequence)
            }
        }
        guard budget >= 0 else { throw .expands(limit: limit) }
    }
}
