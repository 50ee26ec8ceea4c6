extension PluginOutcome {
    /// Reads the OUTCOME fields after the index.
    init(reading reader: inout WireReader) throws(WireReader.Truncated) {
        let status = Status(rawValue: try reader.u8()) ?? .error
        let message = try reader.string()
        let hasResult = try reader.u8() != 0
        let result = try reader.bytes()
        let snooze = try reader.u64()
        let count = try reader.u32()
        var followUps: [FollowUp] = []
        for _ in 0..<count {
            let queueID = try reader.string()
            let topic = try reader.string()
            let payload = try reader.bytes()
            let set = try reader.u32()
            let priority = try reader.i32()
            let delay = try reader.u64()
            let maxRetries = try reader.u32()
            let uniqueKey = try reader.string()
            let uniqueFor = try reader.u64()
            followUps.append(
                FollowUp(
                    queueID: queueID, topic: topic, payload: payload,
                    priority: set & WireProtocol.followUpHasPriority != 0 ? Int(priority) : nil,
                    delayMilliseconds: set & WireProtocol.followUpHasDelay != 0 ? delay : nil,
                    maxRetries: set & WireProtocol.followUpHasMaxRetries != 0 ? Int(maxRetries) : nil,
                    uniqueKey: set & WireProtocol.followUpHasUniqueKey != 0 ? uniqueKey : nil,
                    uniqueForMilliseconds: set & WireProtocol.followUpHasUniqueFor != 0 ? uniqueFor : nil
                ))
        }
        self.init(
            status: status, message: message, result: hasResult ? result : nil,
            snoozeMilliseconds: snooze, followUps: followUps
        )
    }
}
