import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Exports over HTTP: CSV and .xlsx files, filters, reach, permission, bad options")
struct ExportRouteTests {
    @Test("a filtered lead export streams CSV at one log position; a manager needs leads.export and gets only their leads")
    func leadExport() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            _ = try await client.createLead(#"{"fullName":"Ольга Петрова","company":"ООО \"Ромашка\", филиал","emails":["olga@example.ru"],"phones":["+7 912 345-67-89"]}"#, token: fixture.adminToken)
            _ = try await client.createLead(#"{"fullName":"Jonas Jonaitis","emails":["jonas@example.lt"],"comment":"two\nlines"}"#, token: fixture.adminToken)
            let head = fixture.head

            let response = try await client.send(.get, "/v1/exports/leads?columns=fullName,company,phones,emails,comment", token: fixture.adminToken)
            #expect(response.status == .ok, "\(response.bodyText)")
            #expect(response.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(response.headers[HTTPField.Name("X-Export-Rows")!] == "2")
            #expect(response.headers[HTTPField.Name("X-Log-Position")!] == String(head))
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"leads-\(head).csv\"")
            // Oldest first by default; RFC 4180 quoting, CRLF row ends.
            #expect(response.bodyText == """
                fullName,company,phones,emails,comment\r
                Ольга Петрова,"ООО ""Ромашка"", филиал",+7 912 345-67-89,olga@example.ru,\r
                Jonas Jonaitis,,,jonas@example.lt,"two
                lines"\r

                """)
            let filtered = try await client.send(.get, "/v1/exports/leads?q=jonas&columns=fullName&delimiter=;&bom=true", token: fixture.adminToken)
            #expect(filtered.bodyText == "\u{FEFF}fullName\r\nJonas Jonaitis\r\n")

            // A manager: 403 without leads.export; with it, only the leads they are responsible for.
            let plain = try await client.createManager(token: fixture.adminToken)
            let refused = try await client.send(.get, "/v1/exports/leads", token: plain.token)
            #expect(refused.status == .forbidden)
            let manager = try await client.createManager(token: fixture.adminToken, permissions: ["leads.export"])
            _ = try await client.createLead(#"{"fullName":"Rūta Mine","responsible":"\#(manager.id)"}"#, token: fixture.adminToken)
            let mine = try await client.send(.get, "/v1/exports/leads?columns=fullName", token: manager.token)
            #expect(mine.bodyText == "fullName\r\nRūta Mine\r\n")
            let deals = try await client.send(.get, "/v1/exports/deals?columns=name", token: manager.token)
            #expect(deals.status == .ok && deals.bodyText == "name\r\n")
        }
    }

    @Test("an .xlsx export is a ZIP workbook with the right type; bad options are 400/422 naming the parameter")
    func xlsxAndBadOptions() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            _ = try await client.createLead(token: fixture.adminToken)
            let xlsx = try await client.send(.get, "/v1/exports/customers?format=xlsx", token: fixture.adminToken)
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(Array(xlsx.body.readableBytesView.prefix(4)) == [0x50, 0x4B, 0x03, 0x04], "a ZIP local file header")

            for (uri, field) in [
                ("/v1/exports/leads?columns=fullName,shoeSize", "columns"),
                ("/v1/exports/leads?columns=fullName,,id", "columns"),
                ("/v1/exports/leads?format=pdf", "format"),
                ("/v1/exports/leads?delimiter=%7C", "delimiter"),
                ("/v1/exports/leads?format=xlsx&bom=true", "format"),
                ("/v1/exports/leads?cf.shoeSize=42", "cf.shoeSize"),
                ("/v1/exports/deals?stage=nowhere", "stage"),
                ("/v1/exports/deals?outcome=maybe", "outcome"),
            ] {
                let response = try await client.send(.get, uri, token: fixture.adminToken)
                #expect(response.status == .unprocessableContent || response.status == .badRequest, "\(uri): \(response.bodyText)")
                #expect(try response.problemFields().contains(field), "\(uri): \(response.bodyText)")
            }
            // The sent file is removed once its body is written, which may be just after the client has it all.
            var files = try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/exports")
            for _ in 0..<100 where !files.isEmpty {
                try await Task.sleep(for: .milliseconds(10))
                files = try FileManager.default.contentsOfDirectory(atPath: fixture.directory + "/exports")
            }
            #expect(files.isEmpty, "every sent export was removed: \(files)")
        }
    }
}
