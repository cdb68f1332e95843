import Foundation
import LeadDomain

/// The shapes of the golden JSON (`ProjectionView.goldenJSON`).
enum Golden {
    struct GoldenDirectory: Encodable {
        var position: UInt64
        var statusCounts: [String: Int]
        var leads: [LeadState]
    }

    struct GoldenColumn: Encodable {
        var step: String
        var count: Int
        var leadIds: [UUID]
    }

    struct GoldenWatcher: Encodable {
        var admin: UUID
        var watched: [UUID]
        var actionsToday: [UUID]
        var overdueActions: [UUID]
    }

    struct GoldenReports: Encodable {
        var funnel: FunnelReport
        var perManager: [ManagerReportRow]
        var perSource: [SourceReportRow]
        var timeInStep: [StepTimeRow]
        var paused: PausedReport
        var competitors: [CompetitorReportRow]
    }

    struct GoldenGroup: Encodable {
        var kind: String
        var value: String
        var leadIds: [UUID]
    }

    struct GoldenCustomer: Encodable {
        var customer: CustomerState
        var linkedLeads: [UUID]
        var matchingByEmail: [UUID]
    }

    struct GoldenAdmins: Encodable {
        var admins: [AdminState]
        /// Token hash → admin, for tokens that authenticate at `lastRecordedAt`.
        var activeTokens: [String: UUID]
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }
}
