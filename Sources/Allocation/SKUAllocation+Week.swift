/// One week's working figures of a SKU, per customer rank; allocated once
/// per SKU and reused week after week.
struct WeekLedger {
    /// An allocation row of the week: the line's rank (id order) and chips.
    typealias Row = (rank: Int32, chips: Int)

    /// Lots of fixed allocations kept this week (step 2).
    var fixedLots: [Int]
    /// Eligible demand after holds and caps (step 3).
    var demandLots: [Int]
    /// Lots the guarantee step handed out (step 4).
    var guaranteedLots: [Int]
    /// Lots handed out this week beyond the fixed ones (steps 4 and 5).
    var givenLots: [Int]
    /// Fixed plus given lots: what the lot rule counts as already held.
    var heldLots: [Int]
    /// The most the apportionment at hand may give each member.
    var limitLots: [Int]
    /// What the last apportionment gave each member.
    var shareLots: [Int]
    /// Customers with eligible demand this week, by rank.
    var participants: [Int32] = []
    /// The internal ones among them (the floor's members).
    var internalParticipants: [Int32] = []
    /// The members of the apportionment at hand.
    var members: [Int32] = []
    /// Internal buyers' eligible demand and fixed lots, for the floor.
    var internalDemandLots = 0
    var internalFixedLots = 0
    /// The week's allocation rows, fixed and new, in the order they were made.
    var rows: [Row] = []

    init(customers: Int) {
        fixedLots = Array(repeating: 0, count: customers)
        demandLots = fixedLots
        guaranteedLots = fixedLots
        givenLots = fixedLots
        heldLots = fixedLots
        limitLots = fixedLots
        shareLots = fixedLots
    }
}
