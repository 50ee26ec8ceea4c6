import Dispatch
import Glibc

/// Delivers POSIX signals as calls on a queue instead of async-signal handlers.
final class SignalEvents {
    private let sources: [DispatchSourceSignal]

    init(_ handlers: [Int32: @Sendable () -> Void]) {
        sources = handlers.map { signalNumber, handler in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
