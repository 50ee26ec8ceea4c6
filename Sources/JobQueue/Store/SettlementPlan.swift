/// How a store applies one call's settlements, decided here once for every backend (a backend
/// only turns the plan into statements):
///
/// - Completions, the common case, may be applied together (one delete per lease token), but only
///   when every settlement names a different job: otherwise their order matters, and all go one
///   by one, in order.
/// - A settlement applies only if its lease is still held; follow-up jobs are stored iff their
///   settlement applied, in settlement order (``followUps(applied:)``).
/// - Every queue a settlement touched gets its pointer refreshed, as not served now.
public struct SettlementPlan: Sendable {
    public let settlements: [Settlement]
    /// Indices of the completions applied together, by lease token.
    public let completionsByLease: [LeaseToken: [Int]]
    /// Indices of the settlements applied one at a time, in this order.
    public let oneByOne: [Int]

    public init(_ settlements: [Settlement]) {
        self.settlements = settlements
        let distinct = Set(settlements.map(\.job)).count == settlements.count
        var completions: [LeaseToken: [Int]] = [:]
        var oneByOne: [Int] = []
        for (index, settlement) in settlements.enumerated() {
            if distinct, settlement.action == .complete {
                completions[settlement.lease, default: []].append(index)
            } else {
                oneByOne.append(index)
            }
        }
        completionsByLease = completions
        self.oneByOne = oneByOne
    }

    /// The follow-up jobs to store, given which settlements applied.
    public func followUps(applied: [Bool]) -> [NewJob] {
        settlements.indices.filter { applied[$0] }.flatMap { settlements[$0].followUps }
    }
}
