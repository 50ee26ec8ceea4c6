/// The events of one batch, in order (see ``BatchEvent``).
///
/// The event reader hands over all events of a batch that arrived in one read at once, so the
/// task following the batch wakes once per burst rather than once per event; this sequence
/// gives them out one by one.
public struct BatchEvents: AsyncSequence, Sendable {
    public typealias Element = BatchEvent

    let bursts: AsyncStream<[BatchEvent]>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var bursts: AsyncStream<[BatchEvent]>.AsyncIterator
        var pending: [BatchEvent] = []
        var position = 0

        /// The next event; nil after the last one, or once the task is cancelled.
        public mutating func next() async -> BatchEvent? {
            while position == pending.count {
                guard let burst = await bursts.next() else { return nil }
                pending = burst
                position = 0
            }
            defer { position += 1 }
            return pending[position]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(bursts: bursts.makeAsyncIterator())
    }
}
