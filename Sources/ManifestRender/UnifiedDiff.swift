/// A unified diff (`diff -u` format, 3 lines of context) of two texts, for `render --check`.
public enum UnifiedDiff {
    enum Op: Equatable {
        case same(String), removed(String), added(String)

        var isChange: Bool {
            if case .same = self { return false }
            return true
        }
    }

    public static func diff(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old)
        let b = lines(new)
        let difference = b.difference(from: a)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var ops: [Op] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count && removed.contains(i) {
                ops.append(.removed(a[i]))
                i += 1
            } else if j < b.count && inserted.contains(j) {
                ops.append(.added(b[j]))
                j += 1
            } else {
                ops.append(.same(a[i]))
                i += 1
                j += 1
            }
        }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        var index = 0
        var oldLine = 1
        var newLine = 1
        while index < ops.count {
            // Skip to the next change, keeping `context` lines before it.
            guard let nextChange = ops[index...].firstIndex(where: \.isChange) else { break }
            let start = max(index, nextChange - context)
            for op in ops[index..<start] {
                if case .same = op {
                    oldLine += 1
                    newLine += 1
                }
            }
            // Extend the hunk while changes are within 2 * context lines of each other.
            var lastChange = nextChange
            var probe = nextChange + 1
            while probe < ops.count {
                if ops[probe].isChange {
                    if probe - lastChange - 1 > 2 * context { break }
                    lastChange = probe
                }
                probe += 1
            }
            let hunkEnd = min(ops.count, lastChange + 1 + context)
            let hunk = ops[start..<hunkEnd]
            let oldCount = hunk.filter { if case .added = $0 { return false } else { return true } }.count
            let newCount = hunk.filter { if case .removed = $0 { return false } else { return true } }.count
            out += "@@ -\(oldCount == 0 ? oldLine - 1 : oldLine),\(oldCount) +\(newCount == 0 ? newLine - 1 : newLine),\(newCount) @@\n"
            for op in hunk {
                switch op {
                case .same(let l):
                    out += " \(l)\n"
                    oldLine += 1
                    newLine += 1
                case .removed(let l):
                    out += "-\(l)\n"
                    oldLine += 1
                case .added(let l):
                    out += "+\(l)\n"
                    newLine += 1
                }
            }
            index = hunkEnd
        }
        return out
    }

    private static func lines(_ text: String) -> [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
