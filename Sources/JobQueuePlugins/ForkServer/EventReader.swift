import Foundation
import Logging
import Synchronization

/// The one thread that starts the fork server, then reads its event pipe with blocking reads,
/// decodes frames and hands them to the router. At end of file it reaps the server and ends the
/// router.
enum EventReader {
    typealias Spawned = (pid: pid_t, commandFD: Int32, eventFD: Int32)

    /// Runs `spawn` on a new thread, which then reads the new server's events until it ends.
    /// Returns the server's pid and command descriptor once spawned.
    static func start(
        router: EventRouter, logger: Logger, spawn: @escaping @Sendable () throws(ForkServerError) -> Spawned
    ) throws(ForkServerError) -> (pid: pid_t, commandFD: Int32) {
        let outcome = Mutex<Result<Spawned, ForkServerError>?>(nil)
        let spawned = DispatchSemaphore(value: 0)
        let thread = Thread {
            let result = Result { () throws(ForkServerError) in try spawn() }
            outcome.withLock { $0 = result }
            spawned.signal()
            guard case .success(let server) = result else { return }
            readUntilEnd(descriptor: server.eventFD, serverPID: server.pid, router: router, logger: logger)
            close(server.eventFD)
            router.end(exitStatus: reap(server.pid))
        }
        thread.name = "jobqueue-forkserver-events"
        thread.start()
        spawned.wait()
        let server = try outcome.withLock { $0! }.get()
        return (server.pid, server.commandFD)
    }

    private static func readUntilEnd(descriptor: Int32, serverPID: pid_t, router: EventRouter, logger: Logger) {
        var buffer: [UInt8] = []
        var consumed = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            buffer.append(contentsOf: chunk[..<count])

            // The events of this read go out together, also when a bad frame stops the reading.
            var events: [ServerEvent] = []
            defer { router.deliver(events) }
            while buffer.count - consumed >= 4 {
                let length = buffer[consumed..<consumed + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
                guard length >= 1, length <= WireProtocol.maxEventFrame else {
                    fail(ForkServerError.protocolViolation("event frame of \(length) bytes"), serverPID, logger)
                    return
                }
                guard buffer.count - consumed - 4 >= length else { break }
                let frame = Array(buffer[consumed + 4..<consumed + 4 + length])
                consumed += 4 + length
                do {
                    events.append(try ServerEvent(frame: frame))
                } catch {
                    fail(ForkServerError.protocolViolation(error.description), serverPID, logger)
                    return
                }
            }
            if consumed == buffer.count {
                buffer.removeAll(keepingCapacity: true)
                consumed = 0
            } else if consumed > 1 << 20 {
                buffer.removeFirst(consumed)
                consumed = 0
            }
        }
    }

    /// A server that speaks nonsense cannot be trusted with more work: stop it.
    private static func fail(_ error: ForkServerError, _ serverPID: pid_t, _ logger: Logger) {
        logger.critical("\(error); stopping the fork server", metadata: ["pid": "\(serverPID)"])
        kill(serverPID, SIGKILL)
    }

    private static func reap(_ pid: pid_t) -> WaitStatus? {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return nil }
        }
        return WaitStatus(rawValue: status)
    }
}
