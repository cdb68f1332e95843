#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text in a MIME charset made into a Swift string, through the C library's `iconv` (glibc ships converters for
/// every charset mail uses: Windows-125x, KOI8-R and KOI8-U, ISO-8859-x, GB18030, Shift_JIS…). No package in the
/// machine's set converts charsets, and Foundation on Linux knows only a few of them (not KOI8-R).
enum MailCharset {
    /// `bytes` in `charset` (a MIME name, any case). UTF-8 and US-ASCII are read directly; bytes that are not
    /// valid in the charset become U+FFFD. Throws `unknownCharset` for a charset the C library cannot convert.
    static func decode(_ bytes: some Collection<UInt8>, charset: String) throws(MailParseError) -> String {
        let name = charset.trimmedWhitespace.lowercased()
        switch name {
        case "utf-8", "utf8", "us-ascii", "ascii", "":
            // Mislabelled 8-bit text in "us-ascii" is common; reading it as UTF-8 keeps what it can.
            return String(decoding: Array(bytes), as: UTF8.self)
        default:
            break
        }
        // iconv's names: `cp1251` and `windows-1251` both work; `x-` prefixes (x-koi8-r) are not known to it.
        let iconvName = name.hasPrefix("x-") ? String(name.dropFirst(2)) : name
        guard iconvName.utf8.count <= 40, iconvName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
        else { throw .unknownCharset(charset) }
        let converter = iconv_open("UTF-8", iconvName)
        guard let converter, converter != iconv_t(bitPattern: -1) else { throw .unknownCharset(charset) }
        defer { iconv_close(converter) }

        var input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 2 + 16)
        var buffer = [UInt8](repeating: 0, count: 4096)
        input.withUnsafeMutableBufferPointer { inputBuffer in
            var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBuffer.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
            var inLeft = inputBuffer.count
            while inLeft > 0 {
                let (result, produced, failure) = buffer.withUnsafeMutableBufferPointer { outBuffer -> (Int, Int, Int32) in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (result, outBuffer.count - outLeft, result == -1 ? errno : 0)
                }
                output.append(contentsOf: buffer[0..<produced])
                guard result == -1 else { continue }
                switch failure {
                case E2BIG:
                    continue  // the output buffer is full: go round again
                default:
                    // EILSEQ (a byte the charset does not have) or EINVAL (a sequence cut off at the end).
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
