import Database
import Domain

extension ReportStore {
    /// Refuses a filter that names a run, customer or SKU that does not
    /// exist, as `allocate diff` refuses an unknown run: such a filter is a
    /// mistake, not a question whose answer is "no rows". An unknown
    /// customer or SKU is answered with the nearest known one, as every
    /// command answers it. Read through the `report_*` views, so a
    /// reporting login can check it.
    ///
    /// - Throws: `NotFound` naming the first unknown name.
    public func requireNamed(_ filter: ReportFilter) throws {
        guard filter.run != nil || filter.customer != nil || filter.sku != nil else { return }
        guard let row = try connection.queryFirst(
            """
            SELECT ($1::bigint IS NULL OR EXISTS (SELECT 1 FROM report_runs WHERE run_id = $1)) AS run_known,
                   ($2::text IS NULL OR EXISTS (SELECT 1 FROM report_customers WHERE customer_id = $2)) AS customer_known,
                   ($3::text IS NULL OR EXISTS (SELECT 1 FROM report_products WHERE sku = $3)) AS sku_known
            """, [filter.run, filter.customer, filter.sku]) else { return }
        if let run = filter.run, try !row.decode("run_known", as: Bool.self) { throw NotFound("allocation run \(run)") }
        if let customer = filter.customer, try !row.decode("customer_known", as: Bool.self) {
            let known = try connection.execute("SELECT customer_id FROM report_customers").map { try $0.decode("customer_id", as: String.self) }
            throw NotFound("customer \(Echo.value(customer))", suggestion: Suggestion.nearest(to: customer, among: known))
        }
        if let sku = filter.sku, try !row.decode("sku_known", as: Bool.self) {
            let known = try connection.execute("SELECT sku FROM report_products").map { try $0.decode("sku", as: String.self) }
            throw NotFound("product \(Echo.value(sku))", suggestion: Suggestion.nearest(to: sku, among: known))
        }
    }
}
