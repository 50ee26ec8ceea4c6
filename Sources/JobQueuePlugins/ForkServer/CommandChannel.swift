import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The host's end of the command pipe: whole frames, written one at a time.
///
/// Writes are blocking and happen under the lock, so frames never interleave. The fork server
/// reads commands promptly and the host reads events on its own thread, so a full pipe only ever
/// means a short wait.
final class CommandChannel: Sendable {
    /// The pipe's descriptor; -1 once closed.
    private let descriptor: Mutex<Int32>

    init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    /// Sends `frame`, first calling `register` under the same lock, so that whatever expects the
    /// answer (a load, a batch's events) is in place before the server can reply and in the same
    /// order as the commands.
    ///
    /// Throws `.notRunning`, without calling `register`, once the channel is closed. A write that
    /// fails because the server is gone is not an error here: the event reader notices the end of
    /// the server and fails whatever was registered.
    func send(_ frame: [UInt8], registering register: () -> Void = {}) throws(ForkServerError) {
        try descriptor.withLock { (fd: inout Int32) throws(ForkServerError) in
            guard fd >= 0 else { throw .notRunning }
            register()
            _ = Self.writeAll(fd, frame)
        }
    }

    /// Closes the pipe: the fork server sees end of file, kills its running batches and exits.
    func close() {
        descriptor.withLock { fd in
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }
    }

    /// Writes every byte, with SIGPIPE blocked on this thread so that a dead server yields EPIPE
    /// instead of killing the host (a pipe has no MSG_NOSIGNAL).
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }

        return bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE {
                        // Take the SIGPIPE this write raised before unblocking, so it is not delivered.
                        var now = timespec(tv_sec: 0, tv_nsec: 0)
                        sigtimedwait(&pipeSignal, nil, &now)
                    }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
