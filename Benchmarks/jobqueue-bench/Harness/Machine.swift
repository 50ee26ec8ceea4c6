import Foundation
import GRDBSQLite

extension MachineInfo {
    /// The machine the figures were taken on, from /proc and uname.
    static func current(folder: String) -> MachineInfo {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let memoryKiB =
            meminfo.split(separator: "\n").first { $0.hasPrefix("MemTotal:") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } } ?? 0
        var names = utsname()
        uname(&names)
        let kernel = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return MachineInfo(
            cpus: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), cpuModel: model, memoryMiB: memoryKiB / 1024, kernel: kernel,
            disk: disk(of: folder), swift: swiftVersion, sqlite: String(cString: sqlite3_libversion()))
    }

    /// "ext4 on /dev/vda (virtual disk)" for the mount that holds `folder`.
    private static func disk(of folder: String) -> String {
        let mounts = (try? String(contentsOfFile: "/proc/mounts", encoding: .utf8)) ?? ""
        var best: (point: String, device: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 3 else { continue }
            let point = fields[1]
            let inside = point == "/" || folder == point || folder.hasPrefix(point + "/")
            if inside && point.count >= (best?.point.count ?? -1) { best = (point, fields[0], fields[2]) }
        }
        guard let best else { return "unknown disk" }
        let name = best.device.split(separator: "/").last.map(String.init) ?? ""
        let rotational = (try? String(contentsOfFile: "/sys/block/\(name)/queue/rotational", encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let kind = rotational == "1" ? "rotational" : rotational == "0" ? "non-rotational" : "unknown kind"
        return "\(best.type) on \(best.device) (\(kind)) at \(best.point)"
    }

    private static var swiftVersion: String {
        #if compiler(>=6.4)
        ">= 6.4"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #else
        "< 6.2"
        #endif
    }
}
