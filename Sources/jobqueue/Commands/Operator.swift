import Foundation

/// Who runs this command, for the records of what operators do (e.g. who cancelled a job).
enum Operator {
    /// `user@hostname`.
    static var name: String {
        let user =
            ProcessInfo.processInfo.environment["USER"] ?? getpwuid(geteuid()).flatMap { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }
}
