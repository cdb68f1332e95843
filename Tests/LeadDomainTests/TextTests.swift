import Foundation
import Testing

@testable import LeadDomain

@Suite("Text folding and normalization")
struct TextTests {
    @Test("Lithuanian letters fold to plain Latin: ąčęėįšųūž → aceeisuuz, one letter each")
    func lithuanian() {
        #expect(SearchText.fold("ąčęėįšųūž") == "aceeisuuz")
        #expect(SearchText.fold("ĄČĘĖĮŠŲŪŽ") == "aceeisuuz")
        #expect(SearchText.fold("ŠARŪNAS") == "sarunas")
        #expect(SearchText.fold("Žemaitė") == SearchText.fold("zemaite"))
    }

    @Test("Cyrillic stays Cyrillic, lowercased; ё folds to е and й to и")
    func cyrillic() {
        #expect(SearchText.fold("Ёлкин") == "елкин")
        #expect(SearchText.fold("Ёлкин") == SearchText.fold("елкин"))
        #expect(SearchText.fold("ЙОШКАР-ОЛА") == "иошкар-ола")
        #expect(SearchText.fold("Иван Петров") == "иван петров")
        #expect(SearchText.fold("Київ") == "киів")  // marks are dropped in Cyrillic too: ї → і
    }

    @Test("other Latin diacritics fold too; whitespace collapses")
    func otherLatin() {
        #expect(SearchText.fold("  Łódź   Straße  Øresund Crème ") == "lodz strasse oresund creme")
    }

    @Test("matching is case- and diacritic-insensitive")
    func matching() {
        #expect(SearchText.matches("Šarūnas Žemaitis, UAB Rūta", query: "ZEMAIT"))
        #expect(SearchText.matches("Пётр Ёлкин", query: "елкин"))
        #expect(!SearchText.matches("Jonas", query: "petras"))
    }

    @Test("phones normalize to digits only; a valid phone has 5–15 digits")
    func phones() {
        #expect(PhoneNumber.normalize("+370 (612) 34-567") == "37061234567")
        #expect(PhoneNumber(typed: "12345").isValid)
        #expect(!PhoneNumber(typed: "1234").isValid)
        #expect(PhoneNumber(typed: "+123456789012345").isValid)
        #expect(!PhoneNumber(typed: "1234567890123456").isValid)
        #expect(!PhoneNumber(typed: "+370 612 ABC 34").isValid)
        #expect(!PhoneNumber(typed: "370+61234567").isValid)
    }

    @Test("e-mails are checked pragmatically and lowercased for matching")
    func emails() {
        for valid in ["a@b.lt", "jonas.jonaitis+crm@rasa.lt", "o'brien@mail.example.com", "šarūnas@paštas.lt"] {
            #expect(EmailAddress.isValid(valid), "\(valid)")
        }
        for invalid in ["", "a", "a@", "@b.lt", "a@b", "a b@c.lt", "a@@b.lt", "a@b..lt", "a@-b.lt", ".a@b.lt", "a@b.l"]
        {
            #expect(!EmailAddress.isValid(invalid), "\(invalid)")
        }
        #expect(EmailAddress.normalize(" Jonas@Rasa.LT ") == "jonas@rasa.lt")
    }

    @Test("settings keys are slugs")
    func slugs() {
        #expect(Slug.isValid("contact-client") && Slug.isValid("a") && Slug.isValid("2fa"))
        #expect(!Slug.isValid("") && !Slug.isValid("-a") && !Slug.isValid("Caps") && !Slug.isValid("a_b"))
        #expect(!Slug.isValid(String(repeating: "a", count: 65)) && Slug.isValid(String(repeating: "a", count: 64)))
    }

    @Test("trimmedWhitespace trims exactly what Foundation's whitespacesAndNewlines trims, for every BMP scalar")
    func trimming() {
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let c = String(Character(scalar))
            for text in [c, "a" + c, c + "a", c + "б" + c, "a" + c + "b"] {
                #expect(text.trimmedWhitespace == text.trimmingCharacters(in: .whitespacesAndNewlines), "U+\(String(value, radix: 16))")
            }
        }
        #expect(" \t Ona \n".trimmedWhitespace == "Ona")
        #expect("\u{3000}Šarūnas\u{00A0}".trimmedWhitespace == "Šarūnas")
        #expect("".trimmedWhitespace == "" && "   ".trimmedWhitespace == "")
        #expect(PhoneNumber(typed: " +370 (612) 34-567 ").digits == "37061234567")
        #expect(PhoneNumber.normalize("٣+7 912") == "7912")
    }
}
