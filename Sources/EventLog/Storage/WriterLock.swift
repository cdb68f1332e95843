#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import Synchronization

/// An exclusive advisory lock (`flock`) on `<directory>/writer.lock`, held by the one writable `EventLog` of a
/// directory until it closes. The kernel drops it when the process dies, so a crash never leaves it stale.
final class WriterLock: Sendable {
    private let descriptor: Mutex<Int32?>

    init(directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EventLogError(.io, "cannot create data directory '\(directory)': \(error)")
        }
        let path = directory + "/writer.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw EventLogError(.io, "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(fd)
            if reason == EWOULDBLOCK {
                throw EventLogError(
                    .locked,
                    "the event log in '\(directory)' is open for writing elsewhere (a running server?); stop it, "
                        + "or use a command that only reads")
            }
            throw EventLogError(.io, "cannot lock \(path): \(String(cString: strerror(reason)))")
        }
        descriptor = Mutex(fd)
    }

    /// Releases the lock (idempotent).
    func release() {
        descriptor.withLock { fd in
            if let open = fd { close(open) }
            fd = nil
        }
    }

    deinit { release() }
}
