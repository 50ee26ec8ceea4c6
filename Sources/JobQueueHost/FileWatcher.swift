import Foundation
import Glibc
import Synchronization

/// Calls back when any of a set of files is written, created, replaced (a new file renamed over
/// it, as installers do) or removed. Watches the files' folders with inotify, since a rename over
/// a file replaces the inode a watch on the file itself would follow.
final class FileWatcher: Sendable {
    private let descriptor: Int32
    private let watched = Mutex<(folders: [Int32: String], files: Set<String>)>(([:], []))
    private let stopped = Atomic<Bool>(false)

    init?(onChange: @escaping @Sendable (String) -> Void) {
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let thread = Thread { [self] in readEvents(onChange) }
        thread.name = "jobqueue.filewatcher"
        thread.start()
    }

    /// Replaces the watched set with `paths` (absolute). Folders watched before and still needed
    /// keep their watch (adding a watch that exists returns it), so a change made while the set is
    /// replaced, as during a reload, is never missed.
    func watch(_ paths: [String]) {
        let folders = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
        watched.withLock { state in
            let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM)
            var kept: [Int32: String] = [:]
            for folder in folders {
                let wd = inotify_add_watch(descriptor, folder, mask)
                if wd >= 0 { kept[wd] = folder }
            }
            for wd in state.folders.keys where kept[wd] == nil { inotify_rm_watch(descriptor, wd) }
            state.folders = kept
            state.files = Set(paths)
        }
    }

    func stop() { stopped.store(true, ordering: .releasing) }

    private func readEvents(_ onChange: @Sendable (String) -> Void) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopped.load(ordering: .acquiring) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (wd, nameLength, name) = buffer.withUnsafeBytes { raw -> (Int32, Int, String) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let bytes = raw[start..<start + Int(event.len)].prefix { $0 != 0 }
                    return (event.wd, Int(event.len), String(decoding: bytes, as: UTF8.self))
                }
                offset += MemoryLayout<inotify_event>.size + nameLength
                let path = watched.withLock { state -> String? in
                    guard let folder = state.folders[wd] else { return nil }
                    let path = folder + "/" + name
                    return state.files.contains(path) ? path : nil
                }
                if let path { onChange(path) }
            }
        }
        close(descriptor)
    }
}
