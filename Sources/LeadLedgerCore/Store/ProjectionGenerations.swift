import Foundation

/// The generations of the projection store under `<data>/projections`: each a directory `g<N>` holding one LMDB
/// environment, and `CURRENT`, a symbolic link naming the one the server serves. A rebuild writes the next
/// generation beside the current one and then replaces the link with `rename(2)`, which is atomic: a process
/// opening the store sees either the old generation or the new one, never a mix.
public struct ProjectionGenerations: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    var currentLink: String { root + "/CURRENT" }

    public func path(_ name: String) -> String { root + "/" + name }

    /// The name of the current generation (`g1`, …), nil when there is none yet.
    public func current() -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink) else { return nil }
        return (target as NSString).lastPathComponent
    }

    /// The current generation's directory, creating the first one when there is none.
    public func currentDirectory() throws -> String {
        if let name = current() { return path(name) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let first = "g1"
        try FileManager.default.createDirectory(atPath: path(first), withIntermediateDirectories: true)
        try makeCurrent(first)
        return path(first)
    }

    /// Every generation directory's number, ascending.
    func numbers() -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.compactMap { $0.hasPrefix("g") ? Int($0.dropFirst()) : nil }.sorted()
    }

    /// A new, empty generation directory after every existing one; returns its name.
    public func makeNext() throws -> String {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let name = "g\((numbers().last ?? 0) + 1)"
        try FileManager.default.createDirectory(atPath: path(name), withIntermediateDirectories: false)
        return name
    }

    /// Points `CURRENT` at `name` atomically (a new link, renamed over the old one).
    public func makeCurrent(_ name: String) throws {
        let temporary = root + "/CURRENT.\(ProcessInfo.processInfo.processIdentifier).tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: name)
        guard rename(temporary, currentLink) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw LedgerError(.closed, "cannot switch the projection store to \(name): \(reason)")
        }
        let directory = open(root, O_RDONLY | O_DIRECTORY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Removes every generation directory but `keep` (and any newer one a rebuild may be writing).
    public func removeGenerations(olderThan keep: String) {
        guard let kept = Int(keep.dropFirst()) else { return }
        for number in numbers() where number < kept { try? FileManager.default.removeItem(atPath: path("g\(number)")) }
    }
}
