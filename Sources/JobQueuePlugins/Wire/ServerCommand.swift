import JobQueue

/// A command from the host to the fork server.
enum ServerCommand {
    case load([PluginSpec], limits: ForkServer.ResourceLimits, swiftBacktraces: Bool)
    case run(batch: UInt64, topic: String, jobs: [LeasedJob])
    case kill(batch: UInt64)
    case shutdown

    /// The command as one wire frame.
    var frame: [UInt8] {
        switch self {
        case .load(let plugins, let limits, let swiftBacktraces):
            var writer = WireWriter(.load)
            writer.u64(limits.addressSpaceBytes)
            writer.u64(limits.cpuSeconds)
            writer.u64(limits.openFiles)
            writer.u8(swiftBacktraces ? WireProtocol.loadFlagSwiftBacktraces : 0)
            writer.u32(UInt32(plugins.count))
            for plugin in plugins {
                writer.string(plugin.topic)
                writer.string(plugin.path)
                writer.string(plugin.configJSON)
            }
            return writer.finished
        case .run(let batch, let topic, let jobs):
            var writer = WireWriter(.run)
            writer.u64(batch)
            writer.string(topic)
            writer.u32(UInt32(jobs.count))
            for job in jobs {
                writer.u64(UInt64(bitPattern: job.id.rawValue))
                writer.string(job.queueID)
                writer.u32(UInt32(clamping: job.attempt))
                writer.bytes(job.payload)
            }
            return writer.finished
        case .kill(let batch):
            var writer = WireWriter(.kill)
            writer.u64(batch)
            return writer.finished
        case .shutdown:
            return WireWriter(.shutdown).finished
        }
    }
}
