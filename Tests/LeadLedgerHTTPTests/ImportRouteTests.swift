import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Imports over HTTP: upload, preview, job progress, idempotent repeat, revert, reach")
struct ImportRouteTests {
    static let csv = """
        \u{FEFF}Имя;E-mail;Телефон;Комментарий
        Ольга Петрова;olga@example.ru;+7 912 345-67-89;"две
        строки; с разделителем"
        Bad Row;not-an-email;;
        Jonas;jonas@example.lt;;ok

        """

    func upload(
        _ client: any TestClientProtocol, _ uri: String, token: String, body: String,
        contentType: String = "text/csv", idempotencyKey: String? = nil
    ) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = contentType
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return try await client.executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// Polls the job until it is no longer running (at most 30 s).
    func finished(_ client: any TestClientProtocol, _ id: String, token: String) async throws -> [String: Any] {
        for _ in 0..<600 {
            let job = try await client.send(.get, "/v1/imports/\(id)", token: token)
            guard job.status == .ok else { throw FixtureError("job \(id): \(job.status) \(job.bodyText)") }
            let report = try job.json()
            if report["state"] as? String != "running" { return report }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FixtureError("job \(id) still running after 30 s")
    }

    @Test("preview names the columns with samples and a suggested mapping, appending nothing")
    func preview() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let head = fixture.head
            let response = try await upload(client, "/v1/import-previews", token: fixture.adminToken, body: Self.csv)
            #expect(response.status == .ok, "\(response.bodyText)")
            let preview = try response.json()
            #expect(preview["delimiter"] as? String == ";" && preview["encoding"] as? String == "utf-8")
            let columns = try #require(preview["columns"] as? [[String: Any]])
            #expect(columns.map { $0["name"] as? String } == ["Имя", "E-mail", "Телефон", "Комментарий"])
            #expect((columns.first?["samples"] as? [String])?.first == "Ольга Петрова")
            #expect(columns.last.flatMap { ($0["samples"] as? [String])?.first } == "две\nстроки; с разделителем")
            let suggested = try #require(preview["suggestedMapping"] as? [String: String])
            #expect(suggested == ["Имя": "fullName", "E-mail": "emails", "Телефон": "phones", "Комментарий": "comment"])
            #expect(fixture.head == head)
        }
    }

    @Test("an upload runs as a job: 202, progress to completed, row errors located, a repeat answers the same job, revert undoes it")
    func importJob() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            // A dry run counts and reports, and appends nothing.
            let head = fixture.head
            let dry = try await upload(client, "/v1/imports?dryRun=true", token: fixture.adminToken, body: Self.csv)
            #expect(dry.status == .accepted, "\(dry.bodyText)")
            let dryId = try #require(try dry.json()["id"] as? String)
            let dryReport = try await finished(client, dryId, token: fixture.adminToken)
            #expect(dryReport["state"] as? String == "completed" && dryReport["dryRun"] as? Bool == true)
            #expect(dryReport["created"] as? Int == 2 && dryReport["failed"] as? Int == 1)
            #expect(fixture.head == head)

            let started = try await upload(
                client, "/v1/imports?fileName=leads.csv", token: fixture.adminToken, body: Self.csv, idempotencyKey: "crm-export-1")
            #expect(started.status == .accepted, "\(started.bodyText)")
            let id = try #require(try started.json()["id"] as? String)
            #expect(started.headers[.location] == "/v1/imports/\(id)")
            let report = try await finished(client, id, token: fixture.adminToken)
            #expect(report["state"] as? String == "completed" && report["fileName"] as? String == "leads.csv")
            #expect(report["rows"] as? Int == 3 && report["created"] as? Int == 2 && report["failed"] as? Int == 1)
            let errors = try #require(report["errors"] as? [[String: Any]])
            #expect(errors.count == 1)
            // Records as a spreadsheet numbers them: the header is 1, Ольга's (two lines) is 2.
            #expect(errors.first?["row"] as? Int == 3 && errors.first?["column"] as? String == "E-mail")
            let leads = try await client.send(.get, "/v1/leads?q=olga", token: fixture.adminToken)
            let found = try #require(try leads.json()["items"] as? [[String: Any]])
            #expect(found.map { $0["fullName"] as? String } == ["Ольга Петрова"])
            let afterImport = fixture.head
            #expect(afterImport > head)

            // The same file with the same key: the completed job, nothing appended.
            let again = try await upload(client, "/v1/imports?fileName=leads.csv", token: fixture.adminToken, body: Self.csv, idempotencyKey: "crm-export-1")
            #expect(again.status == .ok)
            #expect(try again.json()["id"] as? String == id)
            #expect(fixture.head == afterImport)
            let list = try await client.send(.get, "/v1/imports", token: fixture.adminToken)
            #expect((try list.json()["items"] as? [[String: Any]])?.contains { $0["id"] as? String == id } == true)

            // A manager without leads.delete may not revert; an admin may, once.
            let manager = try await client.createManager(token: fixture.adminToken)
            let refused = try await client.send(.post, "/v1/imports/\(id)/revert", token: manager.token)
            #expect(refused.status == .forbidden)
            let hidden = try await client.send(.get, "/v1/imports/\(id)", token: manager.token)
            #expect(hidden.status == .notFound)
            let reverted = try await client.send(.post, "/v1/imports/\(id)/revert", token: fixture.adminToken)
            #expect(reverted.status == .ok, "\(reverted.bodyText)")
            let undone = try reverted.json()
            #expect(undone["state"] as? String == "reverted")
            #expect((undone["revert"] as? [String: Any])?["deleted"] as? Int == 2)
            let gone = try await client.send(.get, "/v1/leads?q=olga", token: fixture.adminToken)
            #expect((try gone.json()["items"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("an .xlsx upload (a LibreOffice workbook) imports its named sheet; sheet on a CSV is refused")
    func xlsxUpload() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            let workbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../LeadLedgerImportTests/Fixtures/leads-libreoffice.xlsx")
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(fixture.adminToken)"
            headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            let started = try await client.executeRequest(
                uri: "/v1/imports?sheet=%D0%9B%D0%B8%D0%B4%D1%8B", method: .post, headers: headers,
                body: ByteBuffer(bytes: try Data(contentsOf: workbook)))
            #expect(started.status == .accepted, "\(started.bodyText)")
            let id = try #require(try started.json()["id"] as? String)
            let report = try await finished(client, id, token: fixture.adminToken)
            #expect(report["state"] as? String == "completed" && report["format"] as? String == "xlsx")
            // This ledger has no budget field: the column is left unmapped, so no row fails.
            #expect(report["created"] as? Int == 3 && report["failed"] as? Int == 0, "\(report)")
            let leads = try await client.send(.get, "/v1/leads?q=petrov", token: fixture.adminToken)
            #expect((try leads.json()["items"] as? [[String: Any]])?.map { $0["fullName"] as? String } == ["Ivan Petrov"])

            let refused = try await upload(client, "/v1/imports?sheet=Leads", token: fixture.adminToken, body: Self.csv)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.problemFields() == ["sheet"])
        }
    }

    @Test("a saved mapping is named by imports: its columns, mode and key; an unknown one or both kinds of mapping are refused")
    func savedMapping() async throws {
        try await LedgerFixture.withApp(.live) { client, fixture in
            let saved = try await client.send(
                .put, "/v1/settings/import-mappings/weekly", token: fixture.adminToken,
                json: #"{"columns":{"Client":"fullName","Mail":"emails","Note":"comment"},"mode":"upsert","key":"email"}"#)
            #expect(saved.status == .ok, "\(saved.bodyText)")
            let settings = try await client.send(.get, "/v1/settings", token: fixture.adminToken)
            let mappings = try #require(try settings.json()["importMappings"] as? [[String: Any]])
            #expect(mappings.first?["name"] as? String == "weekly" && mappings.first?["mode"] as? String == "upsert")

            let csv = "Client;Mail;Note\r\nOlga;olga@example.ru;first\r\n"
            let first = try await upload(client, "/v1/imports?mappingName=weekly", token: fixture.adminToken, body: csv)
            #expect(first.status == .accepted, "\(first.bodyText)")
            let report = try await finished(client, try #require(try first.json()["id"] as? String), token: fixture.adminToken)
            #expect(report["created"] as? Int == 1 && report["mode"] as? String == "upsert")
            // The same mapping again: upsert by e-mail updates the lead.
            let second = try await upload(
                client, "/v1/imports?mappingName=weekly", token: fixture.adminToken, body: "Client;Mail;Note\r\nOlga;olga@example.ru;second\r\n")
            let updated = try await finished(client, try #require(try second.json()["id"] as? String), token: fixture.adminToken)
            #expect(updated["updated"] as? Int == 1 && updated["created"] as? Int == 0, "\(updated)")
            let leads = try await client.send(.get, "/v1/leads?q=olga", token: fixture.adminToken)
            #expect((try leads.json()["items"] as? [[String: Any]])?.count == 1)

            let unknown = try await upload(client, "/v1/imports?mappingName=monthly", token: fixture.adminToken, body: csv)
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.problemFields() == ["mappingName"])
            let both = try await upload(
                client, "/v1/imports?mappingName=weekly&mapping=%7B%22Client%22%3A%22fullName%22%7D", token: fixture.adminToken, body: csv)
            #expect(both.status == .unprocessableContent)
            #expect(try both.problemFields() == ["mappingName"])
            let bad = try await client.send(
                .put, "/v1/settings/import-mappings/weekly", token: fixture.adminToken, json: #"{"columns":{"Client":"shoeSize"}}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problemFields() == ["columns.Client"])
            let removed = try await client.send(.delete, "/v1/settings/import-mappings/weekly", token: fixture.adminToken)
            #expect(removed.status == .ok)
            let manager = try await client.createManager(token: fixture.adminToken)
            let forbidden = try await client.send(
                .put, "/v1/settings/import-mappings/mine", token: manager.token, json: #"{"columns":{"A":"fullName"}}"#)
            #expect(forbidden.status == .forbidden)
        }
    }

    @Test("bad requests name the field and start nothing: no format, a bad mode or key, a mapping to unknown columns or fields")
    func badRequests() async throws {
        try await LedgerFixture.withApp { client, fixture in
            let head = fixture.head
            let cases: [(uri: String, contentType: String, field: String)] = [
                ("/v1/imports", "application/octet-stream", "format"),
                ("/v1/imports?mode=update", "text/csv", "key"),
                ("/v1/imports?mode=sideways", "text/csv", "mode"),
                ("/v1/imports?mode=upsert&key=fax", "text/csv", "key"),
                ("/v1/imports?delimiter=ab", "text/csv", "delimiter"),
                ("/v1/imports?mapping=%7B%22Fax%22%3A%22fullName%22%7D", "text/csv", "mapping"),
                ("/v1/imports?mapping=%7B%22E-mail%22%3A%22shoeSize%22%7D", "text/csv", "mapping"),
            ]
            for item in cases {
                let response = try await upload(client, item.uri, token: fixture.adminToken, body: Self.csv, contentType: item.contentType)
                #expect(response.status == .unprocessableContent || response.status == .badRequest, "\(item.uri): \(response.bodyText)")
                #expect(try response.problemFields().contains { $0.hasPrefix(item.field) }, "\(item.uri): \(response.bodyText)")
            }
            let empty = try await upload(client, "/v1/imports", token: fixture.adminToken, body: "")
            #expect(try empty.problemFields() == ["file"])
            let unknown = try await client.send(.get, "/v1/imports/00000000-0000-4000-8000-000000000001", token: fixture.adminToken)
            #expect(unknown.status == .notFound)
            #expect(fixture.head == head)
            let listed = try await client.send(.get, "/v1/imports", token: fixture.adminToken)
            #expect((try listed.json()["items"] as? [[String: Any]])?.isEmpty == true)
        }
    }
}
