import Foundation
import Testing

@testable import LeadDomain

@Suite("Search text folding")
struct SearchTextTests {
    @Test("the documented examples")
    func examples() {
        #expect(SearchText.fold("ŠARŪNAS Žemaitė") == "sarunas zemaite")
        #expect(SearchText.fold("Ёлкин Йошкар") == "елкин иошкар")
        #expect(SearchText.fold("  Łukasz   Øster\tStraße ") == "lukasz oster strasse")
    }

    @Test("the table path folds every scalar below U+0530, alone and between others, like the reference")
    func tableAgreesWithReference() {
        var texts: [String] = []
        for value in UInt32(0)..<0x0530 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let s = String(Character(scalar))
            texts.append(s)
            texts.append("A" + s + "b")
            texts.append(" " + s + " Ž\u{301}")
            texts.append("й" + s + "\u{0306}ё")
        }
        texts += [
            "", " ", "\t\n", "Ιωάννης ΟΔΟΣ Σ", "İstanbul", "Ǆemal", "ǅ", "Ωmega", "ＡＢＣ", "Nguyễn Văn", "한국어 이름",
            "e\u{301}cole", "Ŀlobet", "ŉ", "Ǳ", "ﬁ", "Ꭰ", "Ольга Їжакевич", "Ґалина Ўлад", "Jonas  Jonaitis ",
        ]
        for text in texts {
            #expect(SearchText.fold(text) == SearchText.foldSlow(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
