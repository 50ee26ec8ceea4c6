//! jobqueue_plugin.h in Rust: the plugin ABI's types and constants, field for field, for plugins
//! built with plain `rustc` (no crates). Keep it in step with the header: fields are only ever
//! appended, and a plugin reads a field appended after its ABI version only when `size` says the
//! host has it (as JQ_HAS_MEMBER does in C).
//!
//! A plugin's crate root declares it (`pub mod jobqueue_plugin;`, this file beside the root) and
//! exports `jq_abi_version` and `jq_perform` (and optionally `jq_init`, `jq_shutdown`) with
//! `#[no_mangle] pub extern "C"`.

use std::os::raw::{c_char, c_int, c_void};

/// The ABI version these declarations describe: major 1, minor 2.
pub const JQ_ABI_VERSION: u32 = (1 << 16) | 2;

/// `jq_status`: what a run returns.
pub type JqStatus = c_int;
pub const JQ_OK: JqStatus = 0;
pub const JQ_ERROR: JqStatus = 1;
pub const JQ_SNOOZE: JqStatus = 2;
pub const JQ_DISCARD: JqStatus = 3;

/// `jq_log_level`.
pub type JqLogLevel = c_int;
pub const JQ_LOG_TRACE: JqLogLevel = 0;
pub const JQ_LOG_DEBUG: JqLogLevel = 1;
pub const JQ_LOG_INFO: JqLogLevel = 2;
pub const JQ_LOG_NOTICE: JqLogLevel = 3;
pub const JQ_LOG_WARNING: JqLogLevel = 4;
pub const JQ_LOG_ERROR: JqLogLevel = 5;
pub const JQ_LOG_CRITICAL: JqLogLevel = 6;

/// `jq_job`: the job a run is given.
#[repr(C)]
pub struct JqJob {
    pub size: usize,
    pub topic: *const c_char,
    pub queue_id: *const c_char,
    pub item_id: u64,
    pub attempt: u32,
    pub payload: *const u8,
    pub payload_len: usize,
}

/// `jq_enqueue_options` bits.
pub const JQ_ENQUEUE_PRIORITY: u32 = 1 << 0;
pub const JQ_ENQUEUE_DELAY: u32 = 1 << 1;
pub const JQ_ENQUEUE_MAX_RETRIES: u32 = 1 << 2;
pub const JQ_ENQUEUE_UNIQUE_KEY: u32 = 1 << 3;
pub const JQ_ENQUEUE_UNIQUE_FOR: u32 = 1 << 4;

/// `jq_enqueue_options`: a follow-up job's options.
#[repr(C)]
pub struct JqEnqueueOptions {
    pub size: usize,
    pub set: u32,
    pub priority: i32,
    pub delay_ms: u64,
    pub max_retries: u32,
    pub unique_key: *const c_char,
    pub unique_for_ms: u64,
}

/// `jq_context`: what a run may ask of the host.
#[repr(C)]
pub struct JqContext {
    pub size: usize,
    pub host: *mut c_void,
    pub set_result: extern "C" fn(*mut JqContext, *const u8, usize) -> c_int,
    pub set_message: extern "C" fn(*mut JqContext, *const c_char) -> c_int,
    pub set_snooze: extern "C" fn(*mut JqContext, u64) -> c_int,
    pub log: extern "C" fn(*mut JqContext, JqLogLevel, *const c_char),
    pub enqueue: extern "C" fn(*mut JqContext, *const c_char, *const c_char, *const u8, usize, *const JqEnqueueOptions) -> c_int,
    /// Since 1.2: read it only when `size` covers it (a host older than 1.2 has none).
    pub progress: extern "C" fn(*mut JqContext, u32, *const c_char) -> c_int,
}
