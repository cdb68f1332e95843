/// Why a JSON payload could not be read by `JSONReader`: what was wrong, where (byte offset) and in which field.
///
/// The path is built while the error unwinds through the generated decoders, so the success path pays nothing:
/// `changes.phones.to[1].digits: expected string, found number (byte 212)`.
struct JSONReadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, e.g. "missing required field `leadId`" or "expected string, found null".
    var message: String
    /// The byte offset in the payload where the problem was found.
    var offset: Int
    /// Field names (and `[index]` for array elements) from the outermost object inwards.
    var path: [String] = []

    init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// The same error one level further out: inside field `name`.
    func inField(_ name: String) -> JSONReadError {
        var error = self
        error.path.insert(name, at: 0)
        return error
    }

    /// The same error one level further out: inside array element `index`.
    func atIndex(_ index: Int) -> JSONReadError {
        var error = self
        error.path.insert("[\(index)]", at: 0)
        return error
    }

    /// The path as `a.b[2].c`.
    var pathDescription: String {
        var text = ""
        for part in path {
            if !text.isEmpty, !part.hasPrefix("[") { text += "." }
            text += part
        }
        return text
    }

    var description: String {
        path.isEmpty ? "\(message) (byte \(offset))" : "\(pathDescription): \(message) (byte \(offset))"
    }
}
