// entrybench: single-order entry through chipsales' own code path
// (OrderStore.create: checks, idempotent insert, audit trigger, read back),
// from several concurrent clients, each with its own connection.
//
//   entrybench --clients 8 --orders 2000 [--customer c0001] [--sku TRN3]
//
// Prints one line: clients, orders, seconds, orders/s. DATABASE_URL names the server.
import Database
import Domain
import Foundation
import Store
import Values

var clients = 8
var perClient = 1_000
var customer = "c0001"
var sku = "TRN3"
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { break }
    switch flag {
    case "--clients": clients = Int(value) ?? clients
    case "--orders": perClient = Int(value) ?? perClient
    case "--customer": customer = value
    case "--sku": sku = value
    default: break
    }
}

final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ text: String) { lock.withLock { messages.append(text) } }
    var all: [String] { lock.withLock { messages } }
}

let configuration = ConnectionConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
let runID = UUID().uuidString.prefix(8)
let failures = Failures()
let (customerID, skuID, ordersPerClient) = (customer, sku, perClient)
// Next week: entry refuses weeks that have passed.
let week = Period.current().adding(1)
let clock = ContinuousClock()
let started = clock.now
DispatchQueue.concurrentPerform(iterations: clients) { client in
    do {
        let connection = try Connection(configuration: configuration)
        let store = OrderStore(connection)
        for n in 0..<ordersPerClient {
            let draft = try OrderDraft(
                customer: customerID, reference: "EB-\(runID)-\(client)-\(n)",
                lines: [LineDraft(number: 1, parsing: "\(skuID):16:\(week)")])
            _ = try store.create(draft)
        }
    } catch {
        failures.add("client \(client): \(error)")
    }
}
let elapsed = clock.now - started
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
if !failures.all.isEmpty {
    FileHandle.standardError.write(Data((failures.all.joined(separator: "\n") + "\n").utf8))
    exit(1)
}
let orders = clients * perClient
print("clients=\(clients) orders=\(orders) seconds=\(String(format: "%.3f", seconds)) orders_per_second=\(String(format: "%.1f", Double(orders) / seconds))")
