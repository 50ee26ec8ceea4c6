import Foundation
import Testing

@testable import JobQueuePlugins

/// `ELFFile` reads what the dynamic loader reads, and never traps on a malformed file: it reads it
/// as far as it makes sense or says what is wrong.
@Suite struct ELFFileTests {
    @Test func aPluginsExportsAndLibraries() throws {
        let file = try ELFFile(path: try BuildProducts.plugin("FaultWorker"))
        #expect(Set(["jq_abi_version", "jq_perform", "jq_init", "jq_shutdown"]).isSubset(of: Set(file.exportedFunctions)))
        #expect(file.needed.contains("libc.so.6"), "\(file.needed)")
    }

    @Test func malformedFilesNeverTrap() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: try BuildProducts.plugin("NoopWorker"))))
        let sectionsAt = Int(bytes[40..<48].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let sectionCount = Int(bytes[60]) | Int(bytes[61]) << 8
        func write(_ value: UInt64, _ width: Int, at offset: Int, in copy: inout [UInt8]) {
            for index in 0..<width { copy[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        var cases: [[UInt8]] = [[], Array(bytes.prefix(63)), Array(bytes.prefix(bytes.count / 2)), Array("not elf".utf8)]
        for value in [UInt64.max, UInt64(Int.max), UInt64(bytes.count), 1 << 32] {
            var copy = bytes
            write(value, 8, at: 40, in: &copy)  // e_shoff
            cases.append(copy)
            for section in 0..<sectionCount {
                for (field, width) in [(24, 8), (32, 8), (40, 4)] {  // sh_offset, sh_size, sh_link
                    var copy = bytes
                    write(value, width, at: sectionsAt + section * 64 + field, in: &copy)
                    cases.append(copy)
                }
            }
        }
        for bytes in cases {
            _ = try? ELFFile(bytes: bytes)  // a trap would end the test run
        }
        #expect(throws: ELFError.notELF) { try ELFFile(bytes: Array("not elf but long enough to hold an ELF header, sixty-four bytes".utf8)) }
    }

    @Test func aFIFOIsRefusedRatherThanReadForever() throws {
        let path = NSTemporaryDirectory() + "elf-fifo-\(getpid())"
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        #expect(throws: ELFError.unreadable("not a regular file")) { try ELFFile(path: path) }
    }
}
