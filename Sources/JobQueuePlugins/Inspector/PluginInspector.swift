import Foundation

/// Reports on a plugin file without running it in the host (`jobqueue plugin info`).
public enum PluginInspector {
    /// Reads `path` as an ELF file, then loads it in a throwaway `jobqueue-forkserver --inspect`
    /// process: its constructors and `jq_abi_version` run there (as the caller's user; given up
    /// after `timeout`), its `jq_init` never does.
    ///
    /// - Throws: ``ELFError`` when the file is not a shared library this host can load, or
    ///   ``ForkServerError`` when the fork server executable is missing.
    public static func inspect(_ path: String, forkServer: String? = nil, timeout: Duration = .seconds(10)) throws -> PluginInfo {
        let file = try ELFFile(path: path)
        let executable = try ForkServer.locateExecutable(forkServer)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--inspect", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let overdue = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(timeout.components.seconds * 1000)), execute: overdue)
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        overdue.cancel()

        var info = PluginInfo(
            path: path, exports: file.exportedFunctions.filter { $0.hasPrefix("jq_") }.sorted(),
            isSwift: file.importedSymbols.contains("swift_retain") || file.exportedFunctions.contains { $0.hasPrefix("$s") }, dependencies: [])
        var loaded: [String] = []
        for line in text.split(separator: "\n") {
            let (key, value) = line.firstIndex(of: " ").map { (line[..<$0], String(line[line.index(after: $0)...])) } ?? (line, "")
            switch key {
            case "host": info.hostVersion = UInt32(value).map(PluginInfo.ABIVersion.init)
            case "abi": info.abiVersion = UInt32(value).map(PluginInfo.ABIVersion.init)
            case "threads": info.threadsAfterLoading = Int(value)
            case "loaded": loaded.append(value)
            case "error": info.loadError = value
            default: continue
            }
        }
        if info.loadError == nil, process.terminationReason == .uncaughtSignal {
            info.loadError =
                process.terminationStatus == SIGKILL
                ? "loading it took over \(timeout) (a constructor that never returns?)"
                : "loading it killed the process (signal \(process.terminationStatus))"
        } else if info.loadError == nil, process.terminationStatus != 0 {
            info.loadError = "the process loading it exited with status \(process.terminationStatus)"
        }
        info.dependencies = file.needed.map { name in
            (name, loaded.first { ($0 as NSString).lastPathComponent == name || resolvesTo($0, name) })
        }
        return info
    }

    /// True when the loaded object `path` is what the soname `name` names (a `libX.so.1` symlink
    /// to `libX.so.1.2.3`).
    private static func resolvesTo(_ path: String, _ name: String) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        let candidate = folder + "/" + name
        guard let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate) else { return false }
        return (resolved as NSString).lastPathComponent == (path as NSString).lastPathComponent
    }
}
