import JobQueue

#if canImport(Glibc)
import Glibc
#endif

extension ForkServer {
    /// The executable's file name.
    public static let executableName = "jobqueue-forkserver"

    /// Where the fork server executable is: `explicit`, else `$JOBQUEUE_FORKSERVER`, else next to
    /// the running executable (SwiftPM builds both into the same folder), else where
    /// `scripts/install.sh` puts it: `../libexec/jobqueue/` from the executable's folder.
    public static func locateExecutable(_ explicit: String?) throws(ForkServerError) -> String {
        var candidates: [String] = []
        if let explicit {
            candidates.append(explicit)
        } else if let fromEnvironment = getenv("JOBQUEUE_FORKSERVER") {
            candidates.append(String(cString: fromEnvironment))
        } else if let directory = runningExecutableDirectory() {
            candidates.append(directory + "/" + executableName)
            candidates.append(directory + "/../libexec/jobqueue/" + executableName)
        }
        for candidate in candidates where access(candidate, X_OK) == 0 {
            return candidate
        }
        throw .executableNotFound(searched: candidates)
    }

    /// The folder of the running executable (`/proc/self/exe`), if it can be read.
    static func runningExecutableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        let path = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard let slash = path.lastIndex(of: "/") else { return nil }
        return String(path[..<slash])
    }

    /// Starts the fork server with posix_spawn (never fork: this process is multi-threaded).
    ///
    /// The child gets stdin = command pipe, stdout = event pipe, the host's stderr, no other
    /// descriptor, an empty signal mask, default signal handlers, its own process group (so a
    /// terminal's Ctrl-C reaches the host, which then drains the server) and a sanitised copy of
    /// the host's environment (`passedEnvironment`) with `SWIFT_BACKTRACE` set as configured.
    static func spawn(
        executable: String, swiftBacktraces: Bool, runAs: UserIdentity?, sandbox: PluginSandbox?
    ) throws(ForkServerError) -> (pid: pid_t, commandFD: Int32, eventFD: Int32) {
        let command = try makePipe(executable)
        let event: [Int32]
        do {
            event = try makePipe(executable)
        } catch {
            close(command[0]); close(command[1])
            throw error
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, command[0], 0)
        posix_spawn_file_actions_adddup2(&actions, event[1], 1)
        // Other inherited descriptors: the server closes everything above 2 as it starts.

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        // Plugins see a sanitised environment: the host's secrets (database URLs, tokens) stay
        // with the host; only locale, time zone, paths and identity pass.
        var environment = currentEnvironment().filter { entry in
            let name = entry.prefix { $0 != "=" }
            return passedEnvironment.contains(String(name)) || name.hasPrefix("LC_")
        }
        if !swiftBacktraces {
            environment.append("SWIFT_BACKTRACE=enable=no")
        } else if let inherited = getenv("SWIFT_BACKTRACE") {
            environment.append("SWIFT_BACKTRACE=" + String(cString: inherited))
        }

        // An installed fork server (`scripts/install.sh`) has the Swift runtime it and Swift
        // plugins share beside it: one runtime, the one the fork server was built with.
        let runtime = executable.prefix(through: executable.lastIndex(of: "/") ?? executable.startIndex) + swiftRuntimeFolder
        if access(String(runtime), F_OK) == 0 { environment.append("LD_LIBRARY_PATH=\(runtime)") }
        if let runAs { environment.append("JOBQUEUE_RUN_AS=\(runAs.uid):\(runAs.gid)") }
        if let sandbox { environment.append("JOBQUEUE_SANDBOX=\(sandbox.environmentValue)") }
        environment.append("JOBQUEUE_HOST_PID=\(getpid())")

        var pid: pid_t = 0
        let result = withCStrings([executable]) { argv in
            withCStrings(environment) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        close(command[0])
        close(event[1])
        guard result == 0 else {
            close(command[1]); close(event[0])
            throw .spawnFailed(path: executable, errno: result)
        }
        return (pid, command[1], event[0])
    }

    /// The folder beside an installed fork server that holds the Swift runtime.
    public static let swiftRuntimeFolder = "swift-runtime"

    /// The environment variables a fork server and its children inherit from the host.
    static let passedEnvironment: Set<String> = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR"]

    /// A pipe whose ends are close-on-exec, so that no other process this host spawns inherits
    /// them (the server would never see end of file). Glibc's pipe2 is not visible from Swift.
    private static func makePipe(_ executable: String) throws(ForkServerError) -> [Int32] {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .spawnFailed(path: executable, errno: errno) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return ends
    }

    private static func currentEnvironment() -> [String] {
        var entries: [String] = []
        var cursor = environ
        while let entry = cursor.pointee {
            entries.append(String(cString: entry))
            cursor += 1
        }
        return entries
    }

    /// Calls `body` with a NULL-terminated C array of the strings, valid during the call.
    private static func withCStrings<Result>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Result) -> Result {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }
}
