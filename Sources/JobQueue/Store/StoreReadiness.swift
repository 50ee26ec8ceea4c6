/// What a store holds, found without writing to it: what `jobqueue check` reports, and what a
/// command that only reads refuses to create.
public enum StoreReadiness: Sendable, Equatable {
    /// Nothing there yet: opening the store creates it (a file and its missing folders, or a schema).
    case absent
    /// A store this version uses as it is.
    case ready
    /// A store of an older version: opening it upgrades it (a schema migration).
    case upgradable
}
