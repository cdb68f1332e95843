import Foundation
import LeadDomain
@testable import LeadLedgerCore
import Testing

@Suite("Lead search: folded prefixes, phones, e-mails")
struct LeadSearchTests {
    @Test("Lithuanian and Cyrillic are folded for case and diacritics both ways")
    func folding() throws {
        var w = ProjectionWorld()
        let zemaite = try w.create("Julija Žemaitė")
        let jolkin = try w.create("Пётр Ёлкин")
        let sarunas = try w.create("Šarūnas", company: "UAB „Ąžuolas“")
        #expect(w.search("žemaitė") == [zemaite])
        #expect(w.search("ZEMAITE") == [zemaite])
        #expect(w.search("елкин") == [jolkin])
        #expect(w.search("ЁЛКИН") == [jolkin])
        #expect(w.search("sar") == [sarunas])
        #expect(w.search("azuol") == [sarunas])
        #expect(w.search("петр елк") == [jolkin])
    }

    @Test("every token must match some word by prefix")
    func andOfPrefixes() throws {
        var w = ProjectionWorld()
        let jonas = try w.create("Jonas Jonaitis", company: "Rasa")
        let petras = try w.create("Petras Jonaitis")
        #expect(w.search("jon") == [jonas, petras])
        #expect(w.search("jonait pet") == [petras])
        #expect(w.search("jonas rasa") == [jonas])
        #expect(w.search("jonas petras").isEmpty)
        #expect(w.search("onas").isEmpty)  // prefixes, not infixes
        #expect(w.search("   ") == [jonas, petras])  // blank: no search
    }

    @Test("phones are found by full number, by prefix and by their last digits")
    func phones() throws {
        var w = ProjectionWorld()
        let a = try w.create("A", phones: ["+370 (612) 34-567"])
        let b = try w.create("B", phones: ["8 612 99567"])
        #expect(w.search("+370 612 34567") == [a])
        #expect(w.search("37061234567") == [a])
        #expect(w.search("+370 61") == [a])
        #expect(w.search("4567") == [a])
        #expect(w.search("567") == [])  // fewer than 4 digits: no suffix lookup, and no number starts with 567
        #expect(w.search("9567") == [b])
        #expect(w.search("34-567") == [a])
        #expect(w.search("1234") == [])
        try w.run(a, .update(LeadPatch(phones: ["+370 600 11111"])))
        #expect(w.search("4567").isEmpty)
        #expect(w.search("1111") == [a])
    }

    @Test("e-mails match whole, by prefix, and by their parts")
    func emails() throws {
        var w = ProjectionWorld()
        let a = try w.create("A", emails: ["Jonas.Petraitis@Rasa.lt"])
        _ = try w.create("B", emails: ["ona@example.com"])
        #expect(w.search("jonas.petraitis@rasa.lt") == [a])
        #expect(w.search("jonas.petraitis@ra") == [a])
        #expect(w.search("rasa") == [a])
        #expect(w.search("petraitis") == [a])
    }

    @Test("a lead's store summary matches each query token exactly as its record does, and carries its status")
    func summaryAgreesWithRecord() throws {
        var w = ProjectionWorld()
        let ids = [
            try w.create("Jonas Petraitis", company: "UAB Rasa", phones: ["+370 612 34567", "8 (5) 212 0000"], emails: ["jonas.p@rasa.lt"]),
            try w.create("Пётр Ёлкин", emails: ["petr.jolkin@example.com"]),
            try w.create("Ona", phones: ["+1 555 0100"]),
        ]
        try w.run(ids[2], .pause(until: w.now.adding(seconds: 3_600)))
        let queries = ["jon", "petr", "pet rasa", "елк", "rasa.lt", "jonas.p@", "+370 61", "4567", "0000", "5550100", "0100", "zz", "55"]
        for id in ids {
            let state = try #require(w.projections.lead(id))
            let record = LeadStoreRecord(state: state, facts: nil)
            let bytes = LeadSummary.encode(record)
            for q in queries {
                let tokens = LeadSearch.queryTokens(q)
                let matcher = LeadMatcher(LeadFilter(states: Set(LeadStatus.allCases)), visibleTo: nil, search: nil, searchTests: tokens, now: w.now)
                let byRecord = record.record.matches(matcher)
                let bySummary = bytes.withUnsafeBytes { matcher.mayMatch(LeadSummary($0)) }
                #expect(byRecord == bySummary, "\(state.fullName) / \(q)")
            }
            bytes.withUnsafeBytes { #expect(LeadSummary($0).status(at: w.now) == state.status(at: w.now)) }
        }
        #expect(w.search("4567") == [ids[0]] && w.search("елк") == [ids[1]])
    }

    /// Words by the definition, scalar by scalar: maximal runs of letters and numbers.
    static func referenceWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    @Test("words are cut from UTF-8 exactly as the scalar definition cuts them, in every script")
    func wordCutting() {
        let texts = [
            "", " ", "ona", "žemaitė-šarūnas", "елкин иошкар", "o'brien@mail.example.com", "北京 公司", "a1b2 c3",
            "½ ² ٣", "emoji 😀 word", "tab\tsep", "Ⅻ roman", "ǅ title", "x\u{301}y", "𝒜𝒷𝒸 math", "-- ", "ąčęėįšųūž",
        ]
        for text in texts {
            var words: [String] = []
            LeadSearch.forEachWord(text) { words.append($0) }
            #expect(words == Self.referenceWords(text), "\(text)")
        }
    }
}
