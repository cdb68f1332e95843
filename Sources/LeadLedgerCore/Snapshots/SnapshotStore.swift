import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif

/// The snapshot files of a data directory: `<data>/snapshots/snapshot-<position, 20 digits>.llsnap`.
///
/// Written atomically (temp file, fsync, rename, fsync of the directory); the newest `keep` are kept.
/// Loading tries the newest first and skips, with a warning, any file that is corrupt, truncated, fails its
/// checksum, has an unknown format, does not decode as projections, or is beyond the log's head.
public struct SnapshotStore: Sendable {
    public let directory: String
    public var keep: Int
    public var logger: Logger

    public init(directory: String, keep: Int = 3, logger: Logger = Logger(label: "leadledger.snapshots")) {
        self.directory = directory
        self.keep = max(1, keep)
        self.logger = logger
    }

    /// A snapshot file found on disk.
    public struct Entry: Sendable, Hashable {
        public var path: String
        public var position: UInt64
    }

    public static func fileName(position: UInt64) -> String {
        let digits = String(position)
        return "snapshot-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".llsnap"
    }

    /// Snapshot files, newest (highest position) first.
    public func entries() -> [Entry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.compactMap { name -> Entry? in
            guard name.hasPrefix("snapshot-"), name.hasSuffix(".llsnap") else { return nil }
            let digits = name.dropFirst("snapshot-".count).dropLast(".llsnap".count)
            guard let position = UInt64(digits) else { return nil }
            return Entry(path: directory + "/" + name, position: position)
        }.sorted { $0.position > $1.position }
    }

    /// Writes a snapshot of `projections` and prunes old ones. Returns the path and the file size.
    @discardableResult
    public func write(_ projections: Projections) throws -> (path: String, bytes: Int) {
        let canonical = try projections.encodeCanonical()
        let file = SnapshotFile(position: projections.position, eventCount: projections.position, canonical: canonical)
        let bytes = try file.encoded()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + Self.fileName(position: projections.position)
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try Self.writeDurably(bytes, to: temporary)
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw LedgerError(.snapshot, "rename \(temporary) → \(path): \(message)")
        }
        Self.fsyncDirectory(directory)
        prune()
        return (path, bytes.count)
    }

    /// Deletes all but the newest `keep` snapshots (and stray temp files).
    public func prune() {
        for entry in entries().dropFirst(keep) { unlink(entry.path) }
        if let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for name in names where name.contains(".llsnap.tmp-") { unlink(directory + "/" + name) }
        }
    }

    /// The newest valid snapshot at or below `head`, decoded; nil when there is none.
    public func loadNewest(atMost head: UInt64) -> Projections? {
        for entry in entries() {
            guard entry.position <= head else {
                logger.warning(
                    "skipping snapshot beyond the log head",
                    metadata: ["path": "\(entry.path)", "position": "\(entry.position)", "head": "\(head)"])
                continue
            }
            do {
                return try load(entry)
            } catch {
                logger.warning("skipping invalid snapshot", metadata: ["path": "\(entry.path)", "reason": "\(error)"])
            }
        }
        return nil
    }

    /// Reads and validates one snapshot file.
    public func load(_ entry: Entry) throws -> Projections {
        let clock = ContinuousClock()
        let started = clock.now
        guard let data = FileManager.default.contents(atPath: entry.path) else {
            throw LedgerError(.snapshot, "cannot read \(entry.path)")
        }
        let file = try SnapshotFile(decoding: [UInt8](data))
        guard file.position == entry.position else {
            throw LedgerError(.snapshot, "header position \(file.position) does not match the file name")
        }
        let read = clock.now
        let projections = try Projections(decodingCanonical: file.canonical)
        guard projections.position == file.position else {
            throw LedgerError(.snapshot, "projections at \(projections.position), header says \(file.position)")
        }
        let built = clock.now
        logger.info(
            "snapshot loaded",
            metadata: [
                "position": "\(entry.position)", "bytes": "\(data.count)", "canonicalBytes": "\(file.canonical.count)",
                "readSeconds": "\((read - started).secondsText)", "decodeAndIndexSeconds": "\((built - read).secondsText)",
            ])
        return projections
    }


    static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw LedgerError(.snapshot, "open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw LedgerError(.snapshot, "write \(path): \(String(cString: strerror(errno)))")
            }
            written += result
        }
        guard fsync(fd) == 0 else { throw LedgerError(.snapshot, "fsync \(path): \(String(cString: strerror(errno)))") }
    }

    static func fsyncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
