extension JSONNode {
    /// This document with the member at `path` set to `value`, added at the end of its object when
    /// it is not there yet; nil when a step of the path is not an object. Order and the other
    /// members stay as they were (the file is written back with `JSONWriter`).
    public func setting(_ path: [String], to value: JSONValue) -> JSONNode? {
        guard let first = path.first else { return JSONNode(value, at: location) }
        guard case .object(var members) = self.value else { return nil }
        if let index = members.firstIndex(where: { $0.key == first }) {
            guard let child = members[index].node.setting(Array(path.dropFirst()), to: value) else { return nil }
            members[index].node = child
        } else {
            guard path.count == 1 else { return nil }
            members.append(JSONMember(key: first, keyLocation: location, node: JSONNode(value, at: location)))
        }
        return JSONNode(.object(members), at: location)
    }
}
