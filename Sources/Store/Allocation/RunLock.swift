import Database

/// The single-runner lock of the allocation job, held by a transaction of
/// its own on a connection of its own for as long as the run lasts.
///
/// A transaction-level advisory lock, not a session one: through a pooler in
/// transaction mode (PgBouncer) a session lock would stay on whichever server
/// connection took it, outlive the run and be "held" by the next client that
/// borrows that connection. An open transaction keeps its server connection
/// pinned to this client, and ends with it: `release()` commits; a run that
/// fails or is killed closes the connection, and the server (or the pooler,
/// which closes a server connection left in a transaction) rolls it back,
/// freeing the lock.
public final class RunLock {
    let connection: Connection

    init(_ connection: Connection) { self.connection = connection }

    /// Ends the lock's transaction, freeing the lock.
    public func release() throws {
        guard connection.inTransaction else { return }
        try connection.executeScript("COMMIT")
    }
}

extension RunStore {
    /// Key of the advisory lock that lets one run at a time ("chipsrun").
    static let lockKey = 0x6368_6970_7372_756E

    /// Takes the single-runner lock on a new connection like this store's,
    /// waiting for it when `wait` is true; otherwise throws `RunInProgress`
    /// when another run holds it.
    public func lock(wait: Bool) throws -> RunLock {
        let holder = try connection.sibling()
        try holder.executeScript("BEGIN")
        if wait {
            try holder.execute("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
            return RunLock(holder)
        }
        let acquired: Bool = try holder.queryOne("SELECT pg_try_advisory_xact_lock($1) AS ok", [Self.lockKey]).decode("ok")
        guard acquired else {
            let who = try holder.queryFirst(
                """
                SELECT format('%s since %s', coalesce(nullif(a.usename::text, ''), 'someone'),
                              to_char(coalesce(a.xact_start, a.backend_start) AT TIME ZONE 'UTC',
                                      'YYYY-MM-DD HH24:MI:SS "UTC"')) AS who
                FROM pg_locks k JOIN pg_stat_activity a ON a.pid = k.pid
                WHERE k.locktype = 'advisory' AND k.granted
                  AND ((k.classid::bigint << 32) | k.objid::bigint) = $1
                LIMIT 1
                """, [Self.lockKey])
            throw RunInProgress(holder: try who?.decodeIfPresent("who"))
        }
        return RunLock(holder)
    }
}
