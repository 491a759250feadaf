import Allocation
import Database
import Values

extension PlanInput {
    /// The open lines of a run's input as the store writes the result back:
    /// per line (in the order of `scenario.orders`) its database id, order
    /// and line number, owner, SKU and price, with customers, SKUs and
    /// currencies as small codes so that a million rows are summed and
    /// written without hashing a string.
    public struct Lines: Sendable {
        /// What was read of each line.
        public let detail: LineDetail
        /// Database id of each line.
        public private(set) var ids: [Int] = []
        /// Per line: its order's id and its number within the order (what
        /// planners call it: the summary's released lines name them). Empty
        /// when `detail` is `.forAllocating`, as are `cents` and `currency`.
        var orders: [Int] = []
        var numbers: [Int32] = []
        /// Per line: its customer, an index into `customerIDs`.
        var customer: [Int32] = []
        /// Per line: its SKU, an index into `skus`.
        var sku: [Int32] = []
        /// Per line: the unit price in cents (the column is numeric(16,2)), so
        /// values add up exactly in integers.
        var cents: [Int] = []
        /// Per line: the price's currency, an index into `currencies`.
        var currency: [Int32] = []
        var customerIDs: [String] = []
        var skus: [String] = []
        var currencies: [String] = []
        private var positions = IDIndex()

        init(detail: LineDetail) { self.detail = detail }

        /// Throws unless the lines were read with what a run stores and names
        /// lines by (`.forStoring`).
        func requireStoringDetail(for use: String) throws {
            guard detail == .forStoring else {
                throw DatabaseError(kind: .misuse, message: "\(use) needs the lines' orders, numbers and prices, which this read left out")
            }
        }

        /// The position in `scenario.orders` of the line with engine key `key`.
        func position(ofKey key: String) -> Int? {
            PlanInput.lineID(key).flatMap { positions[$0] }
        }

        /// The position in `scenario.orders` of the line with database id `id`.
        func position(ofID id: Int) -> Int? { positions[id] }

        mutating func indexIDs() { positions = IDIndex(ids) }

        mutating func append(id: Int, order: Int, number: Int32, customer: Int32, sku: Int32, cents: Int, currency: Int32) {
            ids.append(id)
            orders.append(order)
            numbers.append(number)
            self.customer.append(customer)
            self.sku.append(sku)
            self.cents.append(cents)
            self.currency.append(currency)
        }

        /// A line read `.forAllocating`.
        mutating func append(id: Int, customer: Int32, sku: Int32) {
            ids.append(id)
            self.customer.append(customer)
            self.sku.append(sku)
        }
    }

    /// How much of each open line a read takes.
    public enum LineDetail: Sendable {
        /// Everything a run stores: also each line's order, number, price and currency.
        case forStoring
        /// What the engine needs and a quote reports by (id, customer, SKU,
        /// open chips, week, placed-at): a narrower, cheaper read.
        case forAllocating
    }

    /// Open chips per customer: what its lines still want plus its fixed lots.
    public func openChipsByCustomer() -> [String: Int] {
        var fixedByLine: [Int: Int] = [:]
        for row in scenario.fixed {
            if let id = Self.lineID(row.order) { fixedByLine[id, default: 0] += row.quantity }
        }
        var chips = [Int](repeating: 0, count: lines.customerIDs.count)
        for (position, line) in scenario.orders.enumerated() {
            chips[Int(lines.customer[position])] += line.quantity + (fixedByLine.isEmpty ? 0 : fixedByLine[lines.ids[position]] ?? 0)
        }
        var byCustomer: [String: Int] = [:]
        for (code, total) in chips.enumerated() { byCustomer[lines.customerIDs[code], default: 0] += total }
        return byCustomer
    }

    /// Every order's customer and placed-at, by the order's position
    /// (`position[orderID]`), from one plain scan with COPY.
    struct OrderTable {
        let position: IDIndex
        /// Per order, its customer's code in `customerIDs`.
        let customer: [Int32]
        let placed: [Timestamp]
        let customerIDs: [String]
    }

    /// A COPY row the reader cannot parse: the schema's types rule it out.
    static func unexpectedRow(_ what: String, _ row: UnsafeRawBufferPointer) -> DatabaseError {
        DatabaseError(kind: .decoding, message: "unexpected \(what) row: \(String(decoding: row, as: UTF8.self))")
    }

    static func readOrders(_ tx: Connection) throws -> OrderTable {
        var customerCodes = Interner()
        var orderIDs: [Int] = []
        var orderCustomer: [Int32] = []
        var orderPlaced: [Timestamp] = []
        var lastPlacedText: [UInt8] = []
        var failure: Error?
        func unexpected(_ what: String, _ row: UnsafeRawBufferPointer) { failure = unexpectedRow(what, row) }

        var orderFields = CopyFields(count: 3)
        try tx.copyOut("COPY (SELECT id, customer_id, placed_at FROM orders) TO STDOUT") { row in
            guard failure == nil else { return }
            guard orderFields.split(row), let id = CopyFields.integer(orderFields.field(0, of: row)) else {
                return unexpected("order", row)
            }
            // Orders entered together share a time: parse it once.
            let placedText = orderFields.field(2, of: row)
            if orderPlaced.isEmpty || !placedText.elementsEqual(lastPlacedText) {
                lastPlacedText = Array(placedText)
                guard let placed = Timestamp(postgresUTF8: lastPlacedText) else { return unexpected("order", row) }
                orderPlaced.append(placed)
            } else {
                orderPlaced.append(orderPlaced[orderPlaced.count - 1])
            }
            orderIDs.append(id)
            orderCustomer.append(customerCodes.code(orderFields.field(1, of: row)))
        }
        if let failure { throw failure }
        return OrderTable(position: IDIndex(orderIDs), customer: orderCustomer, placed: orderPlaced, customerIDs: customerCodes.values)
    }

    /// Streams the open lines with COPY (a million lines are never one result
    /// set) and parses them straight from the bytes. Orders (customer and
    /// placed-at) and lines come in two plain scans rather than a join;
    /// customers, SKUs, weeks and prices repeat, so each distinct one is
    /// decoded once. COPY text is not unescaped: the schema's checks keep
    /// backslashes and tabs out of ids, SKUs and currencies.
    ///
    /// With `skus`, only lines of those SKUs. COPY takes no parameters, so the
    /// list goes in as a bind to `set_config`, for this transaction only, and
    /// the COPY query reads it back once. With `.forAllocating` detail, the
    /// lines' orders, numbers, prices and currencies stay in the database.
    static func readOpenLines(
        _ tx: Connection, skus: [String]?, detail: LineDetail
    ) throws -> ([Scenario.Line], Lines) {
        let orders = try readOrders(tx)
        let customerIDs = orders.customerIDs
        var failure: Error?
        func unexpected(_ what: String, _ row: UnsafeRawBufferPointer) { failure = unexpectedRow(what, row) }

        var skuCodes = Interner()
        var currencyCodes = Interner()
        var weeks: [UInt64: Period] = [:]
        var orderLines: [Scenario.Line] = []
        var lines = Lines(detail: detail)
        let storing = detail == .forStoring
        var lineFields = CopyFields(count: storing ? 8 : 5)
        var skuCondition = ""
        if let skus {
            try tx.execute("SELECT set_config('chipsales.plan_skus', $1, true)", [skus])
            skuCondition = " AND sku IN (SELECT unnest(current_setting('chipsales.plan_skus')::text[]))"
        }
        let storedColumns = storing ? ", unit_price, currency, line_no" : ""
        try tx.copyOut(
            """
            COPY (SELECT id, order_id, sku, order_line_open(l), requested_week\(storedColumns)
                  FROM order_lines l WHERE order_line_open(l) > 0\(skuCondition)) TO STDOUT
            """
        ) { row in
            guard failure == nil else { return }
            guard lineFields.split(row),
                  let id = CopyFields.integer(lineFields.field(0, of: row)),
                  let orderID = CopyFields.integer(lineFields.field(1, of: row)), let order = orders.position[orderID],
                  let open = CopyFields.integer(lineFields.field(3, of: row))
            else { return unexpected("order line", row) }
            let weekText = lineFields.field(4, of: row)
            guard weekText.count == 8 else { return unexpected("order line", row) }
            let weekKey = UnsafeRawBufferPointer(rebasing: weekText).loadUnaligned(as: UInt64.self)
            let week: Period
            if let known = weeks[weekKey] {
                week = known
            } else {
                guard let parsed = Period(String(decoding: weekText, as: UTF8.self)) else { return unexpected("order line", row) }
                weeks[weekKey] = parsed
                week = parsed
            }
            let sku = skuCodes.code(lineFields.field(2, of: row))
            let customer = orders.customer[order]
            if storing {
                guard let cents = CopyFields.cents(lineFields.field(5, of: row)),
                      let number = CopyFields.integer(lineFields.field(7, of: row)).flatMap(Int32.init(exactly:))
                else { return unexpected("order line", row) }
                lines.append(id: id, order: orderID, number: number, customer: customer, sku: sku, cents: cents,
                             currency: currencyCodes.code(lineFields.field(6, of: row)))
            } else {
                lines.append(id: id, customer: customer, sku: sku)
            }
            orderLines.append(Scenario.Line(
                id: lineKey(id), customer: customerIDs[Int(customer)], sku: skuCodes.values[Int(sku)],
                quantity: open, requestedPeriod: week, placedAt: orders.placed[order]))
        }
        if let failure { throw failure }
        lines.customerIDs = customerIDs
        lines.skus = skuCodes.values
        lines.currencies = currencyCodes.values
        lines.indexIDs()
        return (orderLines, lines)
    }
}
