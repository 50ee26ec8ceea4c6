/// The messages between the host and the fork server (the Swift half; the C half is
/// `Sources/jobqueue-forkserver/protocol.h`, which documents every field and must say the same).
///
/// Frame: `u32 length | u8 type | fields…` — the length counts the type byte and the fields;
/// integers are little-endian and fixed width; `str` and `bytes` are a `u32` length and the bytes.
enum WireProtocol {
    /// Host → server.
    enum CommandType: UInt8 {
        /// `u64 as_bytes, u64 cpu_seconds, u64 open_files, u8 flags, u32 n, n × {str topic, str path, str config}`
        case load = 1
        /// `u64 batch, str topic, u32 n, n × {u64 item_id, str queue_id, u32 attempt, bytes payload}`
        case run = 2
        /// `u64 batch`
        case kill = 3
        /// no fields
        case shutdown = 4
    }

    /// Server → host.
    enum EventType: UInt8 {
        /// `u32 n, n × {str topic, u8 ok, str message}`
        case loaded = 64
        /// `u64 batch, u32 pid`
        case started = 65
        /// `u64 batch, u32 index`
        case begin = 66
        /// `u64 batch, u32 index, u8 status, str message, u8 has_result, bytes result, u64 snooze_ms,
        /// u32 n, n × {str queue_id, str topic, bytes payload, u32 set, i32 priority, u64 delay_ms, u32 max_retries,
        /// str unique_key, u64 unique_for_ms}`
        case outcome = 67
        /// `u64 batch, u32 index, u8 level, str message`
        case log = 68
        /// `u64 batch, u8 stream (1 stdout, 2 stderr), bytes data`
        case output = 69
        /// `u64 batch, i32 wait_status` — the last event of a batch.
        case exited = 70
        /// `u64 batch, str message` — the batch never started.
        case rejected = 71
        /// `u64 batch, u32 index, u8 percent, str message` — how far job `index` is (ABI 1.2).
        case progress = 72
    }

    /// LOAD flag: leave the Swift backtracer on in children.
    static let loadFlagSwiftBacktraces: UInt8 = 1

    /// `set` bits of a follow-up (`JQ_ENQUEUE_*` in jobqueue_plugin.h).
    static let followUpHasPriority: UInt32 = 1 << 0
    static let followUpHasDelay: UInt32 = 1 << 1
    static let followUpHasMaxRetries: UInt32 = 1 << 2
    static let followUpHasUniqueKey: UInt32 = 1 << 3
    static let followUpHasUniqueFor: UInt32 = 1 << 4

    /// Largest event frame the host accepts (a RUN's OUTCOME carries at most ~17 MiB).
    static let maxEventFrame = 128 * 1024 * 1024
}
