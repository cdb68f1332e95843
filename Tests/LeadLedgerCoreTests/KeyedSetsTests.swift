import Foundation
import LeadLedgerCore
import Testing

@Suite("KeyedSets")
struct KeyedSetsTests {
    @Test("memberships are the same, and the values equal, whatever the order of inserts and removals")
    func canonical() {
        let ids = (0..<4).map { _ in UUID() }
        var a = KeyedSets<String>()
        var b = KeyedSets<String>()
        for id in ids { a.insert(id, for: "k") }
        a.remove(ids[0], for: "k")
        a.remove(ids[1], for: "k")
        a.remove(ids[2], for: "k")
        b.insert(ids[3], for: "k")
        #expect(a == b)
        #expect(a["k"] == [ids[3]] && a.count("k") == 1)
        let emptied = a.remove(ids[3], for: "k")
        #expect(emptied && a == KeyedSets<String>() && a["k"].isEmpty)
        let first = b.insert(ids[3], for: "other")
        let again = b.insert(ids[3], for: "other")
        #expect(first && !again && b.count("other") == 1)
        var members: [UUID] = []
        b.insert(ids[1], for: "other")
        b.forEachMember(of: "other") { members.append($0) }
        #expect(Set(members) == [ids[1], ids[3]] && b.contains(ids[1], for: "other") && !b.contains(ids[0], for: "other"))
    }
}
