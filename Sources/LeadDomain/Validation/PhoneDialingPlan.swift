import Foundation

/// How one country's phone numbers are dialled: its calling code, the trunk prefix dialled before a national
/// number (`8` in Russia and Lithuania, `0` in Ukraine), and how many digits a national significant number has.
///
/// The package set has no phone-number library for Linux (libphonenumber's Swift ports target Apple
/// platforms), so this is a small table of the countries the product is sold in, and the one place to add one.
/// It only tells a national from an international form of the same number; it does not validate numbering
/// ranges.
public struct PhoneDialingPlan: Sendable, Hashable {
    /// ISO 3166-1 alpha-2.
    public var country: String
    public var callingCode: String
    public var trunkPrefix: String?
    public var nationalLengths: ClosedRange<Int>

    public static let all: [PhoneDialingPlan] = [
        PhoneDialingPlan(country: "BY", callingCode: "375", trunkPrefix: "8", nationalLengths: 9...9),
        PhoneDialingPlan(country: "DE", callingCode: "49", trunkPrefix: "0", nationalLengths: 6...11),
        PhoneDialingPlan(country: "EE", callingCode: "372", trunkPrefix: nil, nationalLengths: 7...8),
        PhoneDialingPlan(country: "GB", callingCode: "44", trunkPrefix: "0", nationalLengths: 9...10),
        PhoneDialingPlan(country: "KZ", callingCode: "7", trunkPrefix: "8", nationalLengths: 10...10),
        PhoneDialingPlan(country: "LT", callingCode: "370", trunkPrefix: "8", nationalLengths: 8...8),
        PhoneDialingPlan(country: "LV", callingCode: "371", trunkPrefix: nil, nationalLengths: 8...8),
        PhoneDialingPlan(country: "PL", callingCode: "48", trunkPrefix: nil, nationalLengths: 9...9),
        PhoneDialingPlan(country: "RU", callingCode: "7", trunkPrefix: "8", nationalLengths: 10...10),
        PhoneDialingPlan(country: "UA", callingCode: "380", trunkPrefix: "0", nationalLengths: 9...9),
        PhoneDialingPlan(country: "US", callingCode: "1", trunkPrefix: "1", nationalLengths: 10...10),
    ]

    /// The plan of an ISO 3166-1 alpha-2 code (any case), nil when the table has none.
    public static func of(_ country: String) -> PhoneDialingPlan? {
        let code = country.uppercased()
        return all.first { $0.country == code }
    }

    /// The number in international form, digits only (calling code then national number): `8 912 345-67-89`,
    /// `+7 912 345 67 89` and `7912 345 67 89` are all `79123456789` in Russia. A number with `+` or the `00`
    /// international prefix is international already; one that fits none of the country's forms is left as
    /// its digits.
    public func international(_ number: PhoneNumber) -> String {
        let digits = number.digits
        if number.hasPlus { return digits }
        if digits.hasPrefix("00") { return String(digits.dropFirst(2)) }
        if let trunk = trunkPrefix, digits.hasPrefix(trunk), nationalLengths.contains(digits.count - trunk.count) {
            return callingCode + digits.dropFirst(trunk.count)
        }
        if digits.hasPrefix(callingCode), nationalLengths.contains(digits.count - callingCode.count) { return digits }
        if nationalLengths.contains(digits.count) { return callingCode + digits }
        return digits
    }

    /// The national significant number of an international form of this country's (nil for another country's).
    public func national(ofInternational digits: String) -> String? {
        guard digits.hasPrefix(callingCode), nationalLengths.contains(digits.count - callingCode.count) else { return nil }
        return String(digits.dropFirst(callingCode.count))
    }
}
