/// A batch running in the fork server: its id, its events, and the means to stop it.
public struct BatchHandle: Sendable {
    public let id: UInt64
    /// Every event of the batch, ending with `.exited`, `.rejected` or `.lost`.
    public let events: BatchEvents
    let server: ForkServer

    /// SIGKILLs the batch's child and everything it started; `.exited` follows.
    public func kill() { server.kill(batch: id) }
}
