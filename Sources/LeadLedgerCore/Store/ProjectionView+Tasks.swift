import EventLog
import Foundation
import LeadDomain

extension ProjectionView {
    /// One page of tasks across live leads and deals that are not deleted, from the task indexes
    /// (`OrderTag.tasksByOwner` with an owner, `tasksByDue` without): a walk from the cursor or `dueFrom` to
    /// `dueTo`, at most `TaskQuery.maxScanned` entries.
    public func tasks(_ query: TaskQuery, now: Timestamp) throws -> TaskPage {
        let limit = Swift.min(Swift.max(query.limit, 1), TaskQuery.maxLimit)
        var prefix: StoreKey
        if let owner = query.owner {
            prefix = StoreKey(StoreSchema.OrderTag.tasksByOwner.rawValue)
            prefix.uuid(owner)
        } else {
            prefix = StoreKey(StoreSchema.OrderTag.tasksByDue.rawValue)
        }
        prefix.byte(query.closed ? 1 : 0)
        var start = prefix
        var skip: StoreKey?
        if let after = query.after {
            var k = prefix
            k.int64(after.due); k.byte(after.subject.kind.rawValue); k.uuid(after.subject.id); k.uuid(after.taskId)
            start = k
            skip = k
        } else if let from = query.dueFrom {
            start.int64(from.rawValue)
        }
        let stop = query.dueTo?.rawValue ?? (query.dueFrom == nil ? nil : Int64.max)
        var items: [TaskItem] = []
        var next: TaskCursor?
        var scanned = 0
        var last: TaskCursor?
        try forEach(dbs.order, prefix: prefix, from: start) { key, _ in
            if let skip, skip.bytes.elementsEqual(key) { return true }
            var r = StoreKeyReader(key, skipping: prefix.bytes.count)
            let due = r.int64()
            if let stop, due >= stop { return false }
            guard let kind = TaskSubject.Kind(rawValue: r.byte()) else { return true }
            let subject = TaskSubject(kind, r.uuid())
            let taskId = r.uuid()
            let here = TaskCursor(due: due, subject: subject, taskId: taskId)
            if items.count == limit || scanned == TaskQuery.maxScanned {
                next = last
                return false
            }
            scanned += 1
            last = here
            guard query.on.map({ $0 == kind }) ?? true, var item = try taskItem(subject, taskId, query.visibleTo),
                query.taskType?.contains(item.task.taskType) ?? true
            else { return true }
            item.overdue = !item.task.closed && item.task.due.map { $0 < now } == true
            items.append(item)
            return true
        }
        return TaskPage(items: items, next: next)
    }

    /// The task with its subject's names, when the subject is there and in reach of `visibleTo`.
    private func taskItem(_ subject: TaskSubject, _ taskId: UUID, _ visibleTo: UUID?) throws -> TaskItem? {
        switch subject.kind {
        case .lead:
            guard let lead = try lead(subject.id), visibleTo.map(lead.isOwnedOrWatched) ?? true,
                let task = lead.tasks.first(where: { $0.id == taskId })
            else { return nil }
            return TaskItem(
                subject: subject, leadId: lead.id, leadName: lead.fullName, dealId: nil, dealName: nil, task: task,
                overdue: false)
        case .deal:
            guard let deal = try deal(subject.id), !deal.deleted, let task = deal.tasks.first(where: { $0.id == taskId })
            else { return nil }
            let lead = try deal.leadId.flatMap { try self.lead($0) }
            if let visibleTo, !(try reaches(deal: deal, admin: visibleTo, lead: lead)) { return nil }
            return TaskItem(
                subject: subject, leadId: lead?.id, leadName: lead?.fullName, dealId: deal.id, dealName: deal.name,
                task: task, overdue: false)
        }
    }
}
