import Foundation
import Glibc

/// Refuses to load code or configuration that someone other than its owner could have changed,
/// like sshd's StrictModes: the file and every folder above it must be owned by root or by the
/// user running the host, and writable by nobody else. A root-owned folder with the sticky bit
/// (such as /tmp) is an acceptable parent, since others cannot replace what is in it.
public enum FileTrust {
    /// Why `path` cannot be trusted, in one line; nil when it can.
    public static func problem(with path: String) -> String? {
        guard let resolved = realpath(path, nil) else {
            return "\(path): \(String(cString: strerror(errno)))"
        }
        defer { free(resolved) }
        var current = String(cString: resolved)
        var isFile = true
        while true {
            var info = stat()
            guard stat(current, &info) == 0 else { return "\(current): \(String(cString: strerror(errno)))" }
            let owner = info.st_uid
            if owner != 0 && owner != geteuid() {
                return "\(path): refusing \(current), owned by uid \(owner), neither root nor you (pass --allow-insecure-files to override)"
            }
            let writableByOthers = info.st_mode & (S_IWGRP | S_IWOTH) != 0
            let stickyRootFolder = !isFile && owner == 0 && info.st_mode & S_ISVTX != 0
            if writableByOthers && !stickyRootFolder {
                return "\(path): refusing \(current), writable by group or others (chmod go-w it, or pass --allow-insecure-files)"
            }
            if current == "/" { return nil }
            current = (current as NSString).deletingLastPathComponent
            isFile = false
        }
    }
}
