import Crypto
import Foundation

/// The `--site-dir` token of `alga-release status-token`: created once, then reused.
public enum SiteToken {
    public static let fileName = "status-token"

    public struct Result: Sendable {
        public var token: String
        public var path: String
        public var created: Bool
        /// The file was readable by others and its mode was set back to 0600.
        public var tightenedMode: Bool
    }

    public static func ensure(siteDirectory: String) throws(TokenFileError) -> Result {
        let path = (siteDirectory as NSString).appendingPathComponent(fileName)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: siteDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw TokenFileError(path: siteDirectory, reason: "the site directory cannot be created: \(error.localizedDescription)")
        }
        if fm.fileExists(atPath: path) {
            guard let data = fm.contents(atPath: path) else { throw TokenFileError(path: path, reason: "exists but cannot be read") }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard StatusToken.isWellFormed(token) else {
                throw TokenFileError(
                    path: path,
                    reason:
                        "exists but does not hold a hex token of 32 to 256 characters; it is left as it is. Remove it to generate a new token (the Secret must then be applied again)"
                )
            }
            var tightened = false
            if let mode = (try? fm.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                guard chmod(path, 0o600) == 0 else { throw TokenFileError(path: path, reason: "is readable by others and its mode cannot be set to 0600") }
                tightened = true
            }
            return Result(token: token, path: path, created: false, tightenedMode: tightened)
        }
        let token = StatusToken.generate()
        // O_EXCL: two bootstraps racing never both write; the mode is 0600 from the first byte.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw TokenFileError(path: path, reason: "cannot be created: \(String(cString: strerror(errno)))") }
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced else {
            unlink(path)
            throw TokenFileError(path: path, reason: "could not be written completely")
        }
        return Result(token: token, path: path, created: true, tightenedMode: false)
    }

    /// The Secret the Deployment mounts, in the form `kubectl create secret generic --dry-run -o yaml` gives.
    public static func secretManifest(token: String, namespace: String, name: String) -> String {
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: \(name)
          namespace: \(namespace)
          labels:
            app.kubernetes.io/name: appliance-status
        type: Opaque
        data:
          token: \(Data(token.utf8).base64EncodedString())

        """
    }
}
