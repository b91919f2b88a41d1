import ApplianceStatus
import Foundation
import JSONDocument
import ReleaseModel

/// Reads a snapshot folder: every `*.json` that is a Kubernetes List (whatever its name), the
/// optional `probes.json` (or a `readyz.txt`), and previous container logs under `logs/<namespace>/<pod>/<container>.previous.log`.
public enum SnapshotFolder {
    /// - Parameter limits: `maxBodyBytes` per file and `maxTotalBytes` for the folder; a file past
    ///   them is refused unread (a snapshot costs several times its size in memory once decoded).
    public static func read(_ directory: String, limits: ObservationLimits = ObservationLimits()) throws(InputError) -> Snapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: directory, reason: "no such snapshot directory")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var snapshot = Snapshot()
        var lists = 0
        var total = 0
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
            guard size <= limits.maxBodyBytes else {
                throw InputError(
                    file: path,
                    reason: "is \(size >> 20) MiB; a snapshot file may be at most \(limits.maxBodyBytes >> 20) MiB (an appliance's lists are far smaller)")
            }
            total += size
            guard total <= limits.maxTotalBytes else {
                throw InputError(file: directory, reason: "its *.json files pass \(limits.maxTotalBytes >> 20) MiB in all, the most one snapshot may hold")
            }
            let data: Data
            do { data = try RegularFile.read(path, maxBytes: limits.maxBodyBytes) } catch {
                throw InputError(file: path, reason: "\(error); a snapshot holds regular files")
            }
            if name == "probes.json" {
                do {
                    snapshot.probes = try SnapshotDecoding.decoder().decode(Probes.self, from: data)
                } catch {
                    throw InputError(file: path, reason: "not a probes document: \(describe(error))")
                }
                continue
            }
            let kind: String?
            do { kind = try SnapshotDecoding.listKind(data) } catch { throw InputError(file: path, reason: "not valid JSON") }
            guard let kind else { continue }  // expected.json and the like
            do {
                try SnapshotDecoding.add(data, kind: kind, to: &snapshot)
                lists += 1
            } catch {
                throw InputError(file: path, reason: "a \(kind) that cannot be read: \(describe(error))")
            }
        }
        guard lists > 0 else { throw InputError(file: directory, reason: "no Kubernetes List (*.json with kind ...List and items) in the folder") }
        snapshot.previousLogs = previousLogs(in: (directory as NSString).appendingPathComponent("logs"))
        // `kubectl get --raw /readyz > readyz.txt` (the support bundle) when probes.json does not say.
        if snapshot.probes?.readyz == nil,
            let readyz = (try? RegularFile.read((directory as NSString).appendingPathComponent("readyz.txt"), maxBytes: limits.maxBodyBytes))
                .map({ String(decoding: $0, as: UTF8.self) })
        {
            var probes = snapshot.probes ?? Probes(observedAt: nil, readyz: nil, loginProbe: nil, seededUsersCount: nil)
            probes.readyz = readyz.trimmingCharacters(in: .whitespacesAndNewlines)
            snapshot.probes = probes
        }
        return snapshot
    }

    static func describe(_ error: any Error) -> String {
        (error as? DecodingError)?.readable ?? "\(error)"
    }

    static func previousLogs(in directory: String) -> [String: String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [:] }
        var logs: [String: String] = [:]
        for case let relative as String in enumerator where relative.hasSuffix(".previous.log") {
            let path = (directory as NSString).appendingPathComponent(relative)
            let data = try? RegularFile.read(path, maxBytes: ObservationLimits().maxBodyBytes)
            logs[String(relative.dropLast(".previous.log".count))] = data.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return logs
    }
}
