/*
 * buffer.h — building and parsing the little-endian frames of protocol.h.
 *
 * jq_buf is a growable byte buffer; a failed allocation sets `failed` and turns later writes into
 * no-ops, so callers check once at the end. jq_reader walks a received frame; reading past the end
 * sets `failed` and returns zeros.
 */
#ifndef JQ_FORKSERVER_BUFFER_H
#define JQ_FORKSERVER_BUFFER_H

#include <stddef.h>
#include <stdint.h>

typedef struct jq_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
    int failed;
} jq_buf;

void jq_buf_free(jq_buf *b);
/** Forgets the contents but keeps the memory. */
void jq_buf_clear(jq_buf *b);
/** Makes room for `extra` more bytes; returns 0 on success. */
int jq_buf_reserve(jq_buf *b, size_t extra);
void jq_buf_put_raw(jq_buf *b, const void *bytes, size_t n);
void jq_buf_put_u8(jq_buf *b, uint8_t v);
void jq_buf_put_u32(jq_buf *b, uint32_t v);
void jq_buf_put_i32(jq_buf *b, int32_t v);
void jq_buf_put_u64(jq_buf *b, uint64_t v);
/** u32 length + bytes. */
void jq_buf_put_bytes(jq_buf *b, const void *bytes, size_t n);
/** u32 length + the string's bytes without its NUL; NULL counts as "". */
void jq_buf_put_str(jq_buf *b, const char *s);
/** Drops the first `n` bytes (consumed input). */
void jq_buf_consume(jq_buf *b, size_t n);

/** Starts a frame of `type`; returns the offset to hand to jq_buf_end_frame. */
size_t jq_buf_begin_frame(jq_buf *b, uint8_t type);
/** Writes the frame's length now that its fields are in. */
void jq_buf_end_frame(jq_buf *b, size_t start);

/** Reads a u32 little-endian from raw memory. */
uint32_t jq_load_u32(const uint8_t *p);

typedef struct jq_reader {
    const uint8_t *p;
    size_t left;
    int failed;
} jq_reader;

uint8_t jq_rd_u8(jq_reader *r);
uint32_t jq_rd_u32(jq_reader *r);
uint64_t jq_rd_u64(jq_reader *r);
/** A u32-length-prefixed field: returns a pointer into the frame and its length in *len. */
const uint8_t *jq_rd_bytes(jq_reader *r, uint32_t *len);
/** A str field copied into a new NUL-terminated string (free it); NULL on failure or inner NUL. */
char *jq_rd_strdup(jq_reader *r);

#endif
