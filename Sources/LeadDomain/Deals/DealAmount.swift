import Foundation

/// A deal's budget amount: a non-negative decimal with at most 15 integer and 4 fraction digits, kept as its
/// canonical text (no leading zeros, no trailing fraction zeros, `.` as the separator) so events and state hold
/// exactly what was entered, and summed as `Decimal`, which is exact at these sizes.
public enum DealAmount {
    public static let maxIntegerDigits = 15
    public static let maxFractionDigits = 4

    /// The canonical form of `text`, or nil when it is not such an amount (signs, exponents, grouping, more
    /// digits than allowed, no digits at all).
    public static func canonical(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty,
            whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var integer = whole.drop { $0 == "0" }
        if integer.isEmpty { integer = "0" }
        guard integer.count <= maxIntegerDigits else { return nil }
        var fraction = Substring("")
        if parts.count == 2 {
            fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= maxFractionDigits, fraction.allSatisfy({ $0.isASCII && $0.isNumber })
            else { return nil }
            while fraction.last == "0" { fraction = fraction.dropLast() }
        }
        return fraction.isEmpty ? String(integer) : "\(integer).\(fraction)"
    }

    /// Units of 10^-4 (`maxFractionDigits`) in a canonical amount: exact integer sums for reports.
    public static func units(_ canonical: String) -> UInt128 {
        let parts = canonical.split(separator: ".", maxSplits: 1)
        var units = UInt128(parts.first.flatMap { UInt64($0) } ?? 0) * 10_000
        if parts.count == 2 {
            let fraction = parts[1].padding(toLength: maxFractionDigits, withPad: "0", startingAt: 0)
            units += UInt128(UInt64(fraction) ?? 0)
        }
        return units
    }

    /// The canonical text of `units` of 10^-`scale` (`units` for 4, weighted sums for 6).
    public static func text(_ units: UInt128, scale: Int) -> String {
        var divisor: UInt128 = 1
        for _ in 0..<scale { divisor *= 10 }
        let whole = units / divisor
        var fraction = String(units % divisor)
        fraction = String(repeating: "0", count: scale - fraction.count) + fraction
        while fraction.last == "0" { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }

    /// The value of a canonical amount.
    public static func decimal(_ canonical: String) -> Decimal { Decimal(string: canonical, locale: nil) ?? 0 }

    /// ISO 4217 codes in common use (Foundation's list), the currencies a budget may be in.
    public static let currencies: Set<String> = Set(Locale.commonISOCurrencyCodes)
}
