#if canImport(Glibc)
import Glibc
#endif

/// What a 64-bit little-endian ELF shared library says about itself, read from the file alone
/// (nothing of it runs): the functions it exports, the symbols it imports and the libraries it
/// needs.
public struct ELFFile: Sendable, Equatable {
    /// Defined global (or weak) functions in the dynamic symbol table.
    public var exportedFunctions: [String]
    /// Symbols it uses that other libraries define.
    public var importedSymbols: [String]
    /// `DT_NEEDED`: the libraries the dynamic loader must find, in order.
    public var needed: [String]

    /// Reads the file at `path`.
    ///
    /// - Throws: ``ELFError`` naming what is wrong.
    public init(path: String) throws(ELFError) {
        let bytes = try Self.read(path)
        try self.init(bytes: bytes)
    }

    init(bytes: [UInt8]) throws(ELFError) {
        let file = Reader(bytes: bytes)
        guard bytes.count >= 64, bytes[0..<4].elementsEqual([0x7f, 0x45, 0x4c, 0x46]) else { throw .notELF }
        guard bytes[4] == 2, bytes[5] == 1 else { throw .unsupported("not a 64-bit little-endian ELF file") }
        guard file.u16(16) == 3 else { throw .unsupported("not a shared library (ELF type \(file.u16(16)))") }
        let sectionSize = Int(file.u16(58))
        let sectionCount = Int(file.u16(60))
        guard let sectionsAt = Int(exactly: file.u64(40)), sectionSize >= 64, sectionsAt <= bytes.count,
            sectionSize * sectionCount <= bytes.count - sectionsAt
        else {
            throw .malformed("section headers out of bounds")
        }
        let sections = (0..<sectionCount).map { Section(file, at: sectionsAt + $0 * sectionSize) }
        /// `section`, if it holds bytes inside the file (8: SHT_NOBITS holds none).
        func usable(_ section: Section?) -> Section? {
            guard let section, section.type != 8, section.offset <= bytes.count, section.size <= bytes.count - section.offset else { return nil }
            return section
        }
        /// The (string) section `section` links to.
        func linked(_ section: Section) -> Section? {
            Int(section.link) < sections.count ? usable(sections[Int(section.link)]) : nil
        }

        exportedFunctions = []
        importedSymbols = []
        if let symbols = usable(sections.first { $0.type == 11 }), let strings = linked(symbols) {  // SHT_DYNSYM
            for start in stride(from: symbols.offset + 24, to: symbols.offset + symbols.size - 23, by: 24) {  // entry 0 is null
                let info = bytes[start + 4]
                let bind = info >> 4
                let type = info & 0xf
                let name = file.string(at: strings.offset + Int(file.u32(start)), end: strings.offset + strings.size)
                guard bind == 1 || bind == 2 else { continue }  // global or weak
                if file.u16(start + 6) == 0 {  // undefined: another library's
                    importedSymbols.append(name)
                } else if type == 2 {  // a function
                    exportedFunctions.append(name)
                }
            }
        }

        needed = []
        if let dynamic = usable(sections.first { $0.type == 6 }), let strings = linked(dynamic) {  // SHT_DYNAMIC
            func text(_ offset: UInt64) -> String {
                guard let offset = Int(exactly: offset), offset < strings.size else { return "" }
                return file.string(at: strings.offset + offset, end: strings.offset + strings.size)
            }
            entries: for start in stride(from: dynamic.offset, to: dynamic.offset + dynamic.size - 15, by: 16) {
                let value = file.u64(start + 8)
                switch file.u64(start) {
                case 0: break entries  // DT_NULL
                case 1: needed.append(text(value))
                default: continue
                }
            }
        }
    }

    /// The whole file, if it is a regular file of at most 1 GiB (not a FIFO or a device).
    private static func read(_ path: String) throws(ELFError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .unreadable("not a regular file") }
        guard info.st_size <= 1 << 30 else { throw .unsupported("larger than 1 GiB") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { throw .unreadable(String(cString: strerror(errno))) }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
        }
    }

    private struct Section {
        let type: UInt32
        let offset: Int
        let size: Int
        let link: UInt32

        init(_ file: Reader, at start: Int) {
            type = file.u32(start + 4)
            // Out of any file's range when they do not fit: `linked` then refuses the section.
            offset = Int(exactly: file.u64(start + 24)) ?? .max
            size = Int(exactly: file.u64(start + 32)) ?? .max
            link = file.u32(start + 40)
        }
    }

    /// Little-endian reads that never trap: out of bounds reads as zero.
    private struct Reader {
        let bytes: [UInt8]

        func u16(_ at: Int) -> UInt16 { UInt16(truncatingIfNeeded: value(at, 2)) }
        func u32(_ at: Int) -> UInt32 { UInt32(truncatingIfNeeded: value(at, 4)) }
        func u64(_ at: Int) -> UInt64 { value(at, 8) }

        private func value(_ at: Int, _ count: Int) -> UInt64 {
            guard at >= 0, at + count <= bytes.count else { return 0 }
            return (0..<count).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64(bytes[at + $1]) }
        }

        /// The NUL-terminated string at `at`, read no further than `end`.
        func string(at: Int, end: Int) -> String {
            let limit = min(end, bytes.count)
            guard at >= 0 else { return "" }
            guard at >= 0, at < limit else { return "" }
            let stop = bytes[at..<limit].firstIndex(of: 0) ?? limit
            return String(decoding: bytes[at..<stop], as: UTF8.self)
        }
    }
}

/// Why a file could not be read as a shared library.
public enum ELFError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)
    case notELF
    case unsupported(String)
    case malformed(String)

    public var description: String {
        switch self {
        case .unreadable(let reason): "cannot read it: \(reason)"
        case .notELF: "not an ELF file"
        case .unsupported(let reason): reason
        case .malformed(let reason): "malformed ELF file: \(reason)"
        }
    }
}
