import Foundation

/// A mailbox in the settings, with the admin who saved it (intake acts as that admin).
public struct MailboxEntry: Sendable, Hashable, Codable {
    public var mailbox: Mailbox
    public var savedBy: UUID
    public var savedAt: Timestamp
}

/// A mailbox for e-mail intake (Hanna): messages delivered to its Maildir become leads.
///
/// `maildir` is relative to the server's mail root (`serve --mail-root`), so the settings API cannot point the
/// server at other directories. `template` holds lines like `Name: {{fullName}}`: a body line that starts and ends
/// as a template line gives the variable its value; without a template (or when it finds nothing) the lead is the
/// sender's, named after the sender. `source`, `step` and `responsible` are what new leads get (`email`, the
/// default step and nobody unless set).
public struct Mailbox: Sendable, Hashable, Codable {
    public static let maxMailboxes = 20
    public static let maxTemplateLines = 50
    public static let maxTemplateBytes = 4_096
    public static let maxMaildirLength = 200

    public var key: String
    public var name: String
    public var maildir: String
    public var template: String?
    public var source: String?
    public var step: String?
    public var responsible: UUID?
    public var enabled: Bool

    public init(
        key: String, name: String, maildir: String, template: String? = nil, source: String? = nil,
        step: String? = nil, responsible: UUID? = nil, enabled: Bool = true
    ) {
        self.key = key
        self.name = name
        self.maildir = maildir
        self.template = template
        self.source = source
        self.step = step
        self.responsible = responsible
        self.enabled = enabled
    }

    /// A relative path of 1–200 bytes whose segments are letters, digits, `.`, `_`, `-` (no `..`, no empty
    /// segment, no leading `/`).
    public static func isMaildirPath(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= maxMaildirLength, !path.hasPrefix("/") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { segment in
            !segment.isEmpty && segment != "." && segment != ".."
                && segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }
        }
    }
}

/// A mailbox template: one line per variable, `prefix{{variable}}suffix`. Variables are lead field paths as an
/// import mapping names them (`fullName`, `company`, `address.city`, `customFields.budget`…), with `name`,
/// `phone` and `email` for `fullName`, `phones` and `emails`.
public struct MailTemplate: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var prefix: String
        public var variable: String
        public var target: ImportTarget
        public var suffix: String
    }

    public var lines: [Line]

    /// The template read, or what is wrong with it (each problem names the line).
    public static func parse(_ text: String) -> (template: MailTemplate, problems: [(line: Int, message: String)]) {
        var lines: [Line] = []
        var problems: [(line: Int, message: String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).trimmedWhitespace
            if line.isEmpty { continue }
            let opens = line.components(separatedBy: "{{").count - 1
            guard opens == 1, let open = line.range(of: "{{"), let close = line.range(of: "}}", range: open.upperBound..<line.endIndex)
            else {
                problems.append((index + 1, "a template line holds one {{variable}}"))
                continue
            }
            let variable = String(line[open.upperBound..<close.lowerBound]).trimmedWhitespace
            guard let target = target(variable) else {
                problems.append((index + 1, "{{\(variable)}} is not a lead field"))
                continue
            }
            let prefix = String(line[..<open.lowerBound])
            if prefix.trimmedWhitespace.isEmpty {
                problems.append((index + 1, "put a label before {{\(variable)}}, like Name: {{\(variable)}}"))
                continue
            }
            lines.append(Line(prefix: prefix, variable: variable, target: target, suffix: String(line[close.upperBound...])))
        }
        return (MailTemplate(lines: lines), problems)
    }

    static func target(_ variable: String) -> ImportTarget? {
        switch variable {
        case "name": .fullName
        case "phone": .phones
        case "email": .emails
        default: ImportTarget(rawValue: variable)
        }
    }

    /// The values the body's lines give, in body order, as (variable, value): a line matches a template line when,
    /// trimmed, it starts with the prefix (any case) and ends with the suffix; the value is what lies between,
    /// trimmed. A single-valued variable keeps its first value.
    public func values(in body: String) -> [(variable: String, target: ImportTarget, value: String)] {
        var found: [(variable: String, target: ImportTarget, value: String)] = []
        for raw in body.split(whereSeparator: \.isNewline) {
            let line = String(raw).trimmedWhitespace
            for template in lines {
                let prefix = template.prefix.trimmedWhitespace
                guard line.count >= prefix.count, line.prefix(prefix.count).lowercased() == prefix.lowercased() else { continue }
                var rest = line.dropFirst(prefix.count)
                let suffix = template.suffix.trimmedWhitespace
                if !suffix.isEmpty {
                    guard rest.hasSuffix(suffix) else { continue }
                    rest = rest.dropLast(suffix.count)
                }
                let value = String(rest).trimmedWhitespace
                guard !value.isEmpty else { continue }
                if !template.target.takesSeveralColumns, found.contains(where: { $0.target == template.target }) { break }
                found.append((template.variable, template.target, value))
                break
            }
        }
        return found
    }
}
