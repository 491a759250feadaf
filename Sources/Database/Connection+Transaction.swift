import Foundation
import Logging

/// How a transaction isolates itself from others.
public enum IsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension Connection {
    /// Runs `body` inside `BEGIN … COMMIT`, with the configured statement
    /// and lock timeouts set for the transaction (`SET LOCAL`).
    ///
    /// When `body` throws, the transaction is rolled back and the original
    /// error is rethrown (a failing ROLLBACK never hides it). A connection
    /// lost before COMMIT is marked `nothingCommitted`; one lost during
    /// COMMIT is not, as the server may have committed. When the
    /// server reports a serialization failure (40001) or a deadlock (40P01)
    /// — in `body` or at COMMIT — and `retries` is above zero, the whole
    /// transaction runs again, up to `retries` more times, after a short,
    /// growing, jittered pause. `body` must therefore be safe to run again.
    public func transaction<Value>(
        isolation: IsolationLevel = .readCommitted,
        retries: Int = 0,
        _ body: (Connection) throws -> Value
    ) throws -> Value {
        var attempt = 0
        while true {
            do {
                return try transactionOnce(isolation: isolation, body)
            } catch let error as DatabaseError where error.isRetryable && attempt < retries {
                attempt += 1
                logger.debug("transaction retry", metadata: ["attempt": "\(attempt)", "sqlstate": "\(error.sqlState?.rawValue ?? "")"])
                let pauseMicroseconds = UInt32(1_000 * (1 << min(attempt, 6))) + UInt32.random(in: 0...5_000)
                usleep(pauseMicroseconds)
            }
        }
    }

    private func transactionOnce<Value>(isolation: IsolationLevel, _ body: (Connection) throws -> Value) throws -> Value {
        switch isolation {
        case .readCommitted: try executeScript("BEGIN ISOLATION LEVEL READ COMMITTED")
        case .repeatableRead: try executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
        case .serializable: try executeScript("BEGIN ISOLATION LEVEL SERIALIZABLE")
        }
        let value: Value
        do {
            // The configured timeouts, for this transaction only.
            for (name, setting) in transactionSettings {
                try execute("SELECT set_config($1, $2, true)", [name, setting])
            }
            value = try body(self)
        } catch var error as DatabaseError where error.isConnectionLoss {
            // COMMIT was never sent: the server rolled the transaction back.
            error.nothingCommitted = true
            throw error
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try executeScript("COMMIT")
        } catch var error as DatabaseError where error.isConnectionLoss {
            error.commitUncertain = true
            throw error
        } catch {
            rollbackQuietly()
            throw error
        }
        return value
    }

    /// Rolls back, logging (not throwing) a failure so that the caller's
    /// original error is the one reported.
    private func rollbackQuietly() {
        // A connection that broke has no transaction left to roll back.
        guard isOpen else { return }
        do {
            try executeScript("ROLLBACK")
        } catch {
            logger.warning("rollback failed", metadata: ["error": "\(error)"])
        }
    }
}
