import LeadDomain
import Testing

@Suite("Spreadsheet column names")
struct SpreadsheetColumnTests {
    @Test("names and references round-trip from A to XFD, Excel's last column")
    func roundTrip() {
        #expect(SpreadsheetColumn.name(0) == "A" && SpreadsheetColumn.name(25) == "Z" && SpreadsheetColumn.name(26) == "AA")
        #expect(SpreadsheetColumn.name(701) == "ZZ" && SpreadsheetColumn.name(702) == "AAA" && SpreadsheetColumn.name(16_383) == "XFD")
        for index in 0..<16_384 {
            #expect(SpreadsheetColumn.index(ofReference: SpreadsheetColumn.name(index) + "17") == index)
        }
        #expect(SpreadsheetColumn.index(ofReference: "17") == nil)
        #expect(SpreadsheetColumn.index(ofReference: "ABCD1") == nil)
    }
}
