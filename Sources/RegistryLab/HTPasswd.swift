import Foundation
import TestSupport

/// A bcrypt htpasswd file made with Apache's htpasswd (Distribution accepts bcrypt only).
public enum HTPasswd {
    public static func make(at path: URL, user: String, password: String) throws {
        try Subprocess.require("/usr/bin/htpasswd", ["-Bbc", path.path, user, password], failure: "htpasswd failed (install apache2-utils)")
    }
}
