import Allocation
import Database
import Foundation
import Store
import Testing
import TestSupport

@Suite("A run's figures, summed once")
struct RunFiguresTests {
    @Test("the totals and internal chips a run stores are the RunFigures allocate run reports, SKU by SKU and in total")
    func storedAsReported() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: connection)
        let result = try Allocator().allocate(input.scenario)
        let figures = RunFigures(input: input, result: result)
        let saved = try RunStore(connection).save(result, input: input, figures: figures, startedAt: Date(), computeMilliseconds: 1)
        #expect(saved.trimmed == 0)

        let run = try #require(try RunStore(connection).history().first)
        #expect(run.demandChips == figures.total.demand)
        #expect(run.allocatedChips == figures.total.allocated)
        #expect(run.backlogChips == figures.total.backlog)
        #expect(figures.total.demand == input.scenario.orders.reduce(0) { $0 + $1.quantity } + input.scenario.fixed.reduce(0) { $0 + $1.quantity })
        #expect(figures.total.allocated == result.allocations.reduce(0) { $0 + $1.quantity })
        #expect(figures.total.internalChips > 0)
        for sku in figures.skus {
            let stored = try connection.queryOne(
                """
                SELECT coalesce(sum(internal_allocated), 0)::bigint AS internal, coalesce(sum(allocated), 0)::bigint AS allocated
                FROM allocation_periods WHERE run_id = $1 AND sku = $2
                """, [saved.id, sku.sku])
            #expect(try stored.decode("internal", as: Int.self) == sku.chips.internalChips, "\(sku.sku)")
            #expect(try stored.decode("allocated", as: Int.self) == sku.chips.allocated, "\(sku.sku)")
        }
        #expect(try RunStore(connection).customerTotals(run: saved.id) == figures.allocatedByCustomer.filter { $0.value > 0 })
    }
}
