import JobQueue

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a config file whole, with errors a person can act on (`config.yaml: no such file`).
///
/// Files over `sizeLimit` are refused before anything is parsed: a config file is a few
/// kilobytes, so a huge one is a mistake (or an attack) and not worth the memory.
enum ConfigFile {
    static let sizeLimit = 1 << 20

    /// The file's text. `path` is used as given, both to open and in error messages.
    static func contents(of path: String) throws(ConfigError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, errno) }
        defer { close(descriptor) }

        var status = stat()
        if fstat(descriptor, &status) == 0 {
            if status.st_mode & S_IFMT == S_IFDIR { throw failure(path, EISDIR) }
            // Pipes and devices report no useful size; the read loop below bounds them.
            if status.st_mode & S_IFMT == S_IFREG && Int(status.st_size) > sizeLimit { throw tooLarge(path) }
        }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path, errno)
            }
            bytes += chunk[..<count]
            if bytes.count > sizeLimit { throw tooLarge(path) }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError(file: path, message: "not valid UTF-8 text")
        }
        return text
    }

    private static func tooLarge(_ path: String) -> ConfigError {
        ConfigError(file: path, message: "larger than \(ByteCount.format(sizeLimit)); refusing to read it as a config file")
    }

    private static func failure(_ path: String, _ code: Int32) -> ConfigError {
        let reason =
            switch code {
            case ENOENT, ENOTDIR: "no such file"
            case EACCES, EPERM: "permission denied"
            case EISDIR: "is a directory, not a file"
            default: String(cString: strerror(code)).lowercased()
            }
        return ConfigError(file: path, message: reason)
    }
}
