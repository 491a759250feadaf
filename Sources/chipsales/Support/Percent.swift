/// A share as a percentage with one decimal (`61.5`), computed exactly in
/// integers and rounded half up; no value when the whole is zero.
import Foundation

struct Percent: Equatable {
    /// Tenths of a percent; `nil` when the whole is zero.
    let tenths: Int?

    init(_ part: Int, of whole: Int) {
        guard whole > 0 else {
            tenths = nil
            return
        }
        // 128 bits: part × 1000 cannot overflow, whatever the chip counts.
        tenths = Int((Int128(part) * 1000 + Int128(whole) / 2) / Int128(whole))
    }

    /// `61.5%`, or `-` for no value.
    var text: String { number.map { "\($0)%" } ?? "-" }

    /// `61.5` as JSON number text, or `nil`.
    var number: String? {
        guard let tenths else { return nil }
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(tenths.magnitude / 10).\(tenths.magnitude % 10)"
    }

    var json: JSONOutput { number.map(JSONOutput.number) ?? .null }

    /// An exact share (0…1) as a percentage: `0.6` as `60%`, `0.125` as `12.5%`.
    static func text(share: Decimal) -> String {
        "\((share * 100).description)%"
    }
}
