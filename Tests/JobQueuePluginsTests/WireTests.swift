import Testing

@testable import JobQueuePlugins

/// The Swift half of the wire protocol and the small value types, without processes.
@Suite struct WireTests {
    @Test func outcomeFrameDecodes() throws {
        // What the C child sends for OUTCOME(batch 5, index 1, snooze 250 ms, one follow-up).
        var frame: [UInt8] = [WireProtocol.EventType.outcome.rawValue]
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { frame += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { frame += $0 } }
        func str(_ s: String) { u32(UInt32(s.utf8.count)); frame += s.utf8 }
        u64(5); u32(1); frame.append(2); str(""); frame.append(0); str(""); u64(250)
        u32(1); str("q"); str("t"); str("p"); u32(WireProtocol.followUpHasDelay); u32(0); u64(9); u32(0); str(""); u64(0)

        guard case .batch(5, .outcome(1, let outcome)) = try ServerEvent(frame: frame) else {
            Issue.record("not an outcome")
            return
        }
        #expect(
            outcome
                == PluginOutcome(
                    status: .snooze, snoozeMilliseconds: 250,
                    followUps: [FollowUp(queueID: "q", topic: "t", payload: Array("p".utf8), delayMilliseconds: 9)]
                ))
    }

    @Test func truncatedFrameIsMalformed() {
        #expect(throws: ServerEvent.Malformed.self) {
            try ServerEvent(frame: [WireProtocol.EventType.begin.rawValue, 1, 2])
        }
    }

    @Test func killFrameEncodes() {
        #expect(ServerCommand.kill(batch: 0x0102).frame == [9, 0, 0, 0, 3, 2, 1, 0, 0, 0, 0, 0, 0])
    }

    @Test func waitStatusesReadLikeJobErrors() {
        #expect(WaitStatus(rawValue: 11).jobError == "crashed: SIGSEGV")
        #expect(WaitStatus(rawValue: 4).jobError == "crashed: SIGILL")
        #expect(WaitStatus(rawValue: 3 << 8).jobError == "exited with status 3")
        #expect(WaitStatus(rawValue: 0).description == "exited with status 0")
        #expect(Duration.seconds(30).brief == "30s")
        #expect(Duration.milliseconds(200).brief == "200ms")
    }
}
