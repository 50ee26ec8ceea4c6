/// The listener could not start: the address is taken, or not one of this machine's.
public struct HTTPListenError: Error, CustomStringConvertible {
    public var listen: String
    public var reason: String

    public var description: String { "cannot listen on \(listen) (http.listen): \(reason)" }
}
