import EventLog
import Foundation
import LeadDomain

extension ProjectionView {
    /// One page of tasks across live leads, from the task indexes (`OrderTag.tasksByOwner` with an owner,
    /// `tasksByDue` without): a walk from the cursor or `dueFrom` to `dueTo`, at most `TaskQuery.maxScanned`
    /// entries.
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
            k.int64(after.due); k.uuid(after.leadId); k.uuid(after.taskId)
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
            let leadId = r.uuid()
            let taskId = r.uuid()
            let here = TaskCursor(due: due, leadId: leadId, taskId: taskId)
            if items.count == limit || scanned == TaskQuery.maxScanned {
                next = last
                return false
            }
            scanned += 1
            last = here
            guard let lead = try lead(leadId), query.visibleTo.map(lead.isOwnedOrWatched) ?? true,
                let task = lead.tasks.first(where: { $0.id == taskId }),
                query.taskType?.contains(task.taskType) ?? true
            else { return true }
            let overdue = !task.closed && task.due.map { $0 < now } == true
            items.append(TaskItem(leadId: leadId, leadName: lead.fullName, task: task, overdue: overdue))
            return true
        }
        return TaskPage(items: items, next: next)
    }
}
