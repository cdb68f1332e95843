import Foundation
import Hummingbird
import LeadDomain
import LeadLedgerCore

/// The task commands of a lead or a deal under `base` (`/v1/leads/{id}` or `/v1/deals/{id}`): `POST …/tasks`,
/// `PATCH|DELETE …/tasks/{taskId}`, `PUT …/responsible`, `POST …/close` and `/reopen`. One set of routes, so a
/// task takes the same requests wherever it is; `execute` runs the command on its lead or deal.
enum TaskRoutes {
    typealias Execute = @Sendable (
        Request, APIRequestContext, HTTPResponse.Status, (CommandResponder.Input) throws -> TaskCommand
    ) async throws -> Response

    static func register(on routes: APIRoutes, base: String, execute: @escaping Execute) {
        routes.post("\(base)/tasks") { request, context in
            let body = try await request.decode(as: AddTaskRequest.self, context: context)
            let due = try ISOTime.parse(body.due, field: "due", dateOnly: .endOfDay)
            return try await execute(request, context, .created) { input in
                .add(
                    TaskInput(
                        taskId: input.newId(), taskType: body.taskType, description: body.description,
                        responsible: body.responsible, due: due))
            }
        }
        routes.post("\(base)/tasks/{taskId}/close") { request, context in
            let taskId = try context.uuidParameter("taskId")
            return try await execute(request, context, .ok) { _ in .close(taskId) }
        }
        routes.post("\(base)/tasks/{taskId}/reopen") { request, context in
            let taskId = try context.uuidParameter("taskId")
            return try await execute(request, context, .ok) { _ in .reopen(taskId) }
        }
        routes.patch("\(base)/tasks/{taskId}") { request, context in
            let taskId = try context.uuidParameter("taskId")
            let body = try await request.decode(as: TaskPatchRequest.self, context: context)
            var patch = TaskPatch(taskType: body.taskType, description: body.description)
            if let due = body.due { patch.due = .some(try due.map { try ISOTime.parse($0, field: "due", dateOnly: .endOfDay) }) }
            return try await execute(request, context, .ok) { _ in .update(taskId, patch) }
        }
        routes.put("\(base)/tasks/{taskId}/responsible") { request, context in
            let taskId = try context.uuidParameter("taskId")
            let body = try await request.decode(as: AssignRequest.self, context: context)
            return try await execute(request, context, .ok) { _ in .reassign(taskId, to: body.responsible) }
        }
        routes.delete("\(base)/tasks/{taskId}") { request, context in
            let taskId = try context.uuidParameter("taskId")
            return try await execute(request, context, .ok) { _ in .delete(taskId) }
        }
    }
}
