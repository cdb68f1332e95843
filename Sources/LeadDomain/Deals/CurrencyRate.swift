/// How many units of the reporting currency one unit of `currency` is worth (a canonical decimal, as budgets are),
/// for deal reports; reports convert only at rates given here, never invented ones.
public struct CurrencyRate: Sendable, Hashable, Codable {
    public var currency: String
    public var rate: String

    public init(currency: String, rate: String) {
        self.currency = currency
        self.rate = rate
    }
}
