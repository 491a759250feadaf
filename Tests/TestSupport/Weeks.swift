import Domain
import Values

/// Weeks relative to the current ISO week, so tests that enter orders
/// (which refuse past weeks) keep passing as the calendar moves on.
public enum Weeks {
    /// The current ISO week plus `offset` weeks (`Weeks.from(1)` is next week).
    public static func from(_ offset: Int) -> Period { Period.current().adding(offset) }

    /// The same as text (`2026-W50`).
    public static func text(_ offset: Int) -> String { from(offset).description }
}
