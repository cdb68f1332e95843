/// Spreadsheet column names (`A` … `Z`, `AA` …), as .xlsx cell references and error messages spell them.
public enum SpreadsheetColumn {
    /// The name of the column at `index` (from 0).
    public static func name(_ index: Int) -> String {
        var n = index + 1
        var letters: [Character] = []
        while n > 0 {
            letters.append(Character(Unicode.Scalar(UInt8(65 + (n - 1) % 26))))
            n = (n - 1) / 26
        }
        return String(letters.reversed())
    }

    /// The column index of a cell reference (`C7` → 2); nil without letters or with more than three (beyond a
    /// sheet's 16,384 columns).
    public static func index(ofReference reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : index - 1
    }
}
