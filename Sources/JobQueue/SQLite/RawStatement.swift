import GRDB
import GRDBSQLite

/// A cached GRDB statement driven through the SQLite C API, for the hot paths (insert, lease,
/// settle) where GRDB's per-call argument arrays and row objects cost more than SQLite's own work.
///
/// Each SQL text used here is used only through `RawStatement`, so GRDB's record of a statement's
/// arguments is never relied on. Every use starts with `reset`, which also clears the bindings.
struct RawStatement {
    let statement: Statement
    private let db: Database

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        self.statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    var handle: OpaquePointer { statement.sqliteStatement }

    /// Ready for new bindings and a new run.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    func bind(_ index: Int32, _ value: String) {
        var value = value
        value.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient)
            }
        }
    }

    func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds bytes as a blob (an empty one, not NULL, when there are none).
    func bind(_ index: Int32, blob: [UInt8]) {
        if blob.isEmpty {
            sqlite3_bind_zeroblob(handle, index, 0)
            return
        }
        blob.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), sqliteTransient)
        }
    }

    /// Steps once: true when a row is ready, false when the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Runs a statement that returns no row.
    func run() throws {
        while try step() {}
    }

    func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func int(_ column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }  // then its length
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func bytes(_ column: Int32) -> [UInt8] {
        // The pointer first, then its length (SQLite's documented order).
        guard let blob = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return [UInt8](UnsafeRawBufferPointer(start: blob, count: count))
    }

    /// "?3,?4,?5" : `count` numbered placeholders from `first`, for `IN (...)` lists of ids.
    /// (The text depends on the count only, so each count is prepared once and cached.)
    static func placeholders(_ count: Int, from first: Int) -> String {
        (first..<first + max(count, 1)).map { "?\($0)" }.joined(separator: ",")
    }
}

/// SQLite copies bound values before the bind call returns (the C API's SQLITE_TRANSIENT).
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
