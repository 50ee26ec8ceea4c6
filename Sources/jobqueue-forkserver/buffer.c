/* buffer.c — see buffer.h. */
#include "buffer.h"

#include <stdlib.h>
#include <string.h>

void jq_buf_free(jq_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void jq_buf_clear(jq_buf *b) {
    b->len = 0;
    b->failed = 0;
}

int jq_buf_reserve(jq_buf *b, size_t extra) {
    if (b->failed) return -1;
    if (extra > SIZE_MAX / 2 - b->len) { b->failed = 1; return -1; }
    if (b->len + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra) cap *= 2;
    uint8_t *data = realloc(b->data, cap);
    if (!data) { b->failed = 1; return -1; }
    b->data = data;
    b->cap = cap;
    return 0;
}

void jq_buf_put_raw(jq_buf *b, const void *bytes, size_t n) {
    if (n == 0 || jq_buf_reserve(b, n) != 0) return;
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
}

void jq_buf_put_u8(jq_buf *b, uint8_t v) { jq_buf_put_raw(b, &v, 1); }

void jq_buf_put_u32(jq_buf *b, uint32_t v) {
    uint8_t le[4];
    for (int i = 0; i < 4; i++) le[i] = (uint8_t)(v >> (8 * i));
    jq_buf_put_raw(b, le, 4);
}

void jq_buf_put_i32(jq_buf *b, int32_t v) { jq_buf_put_u32(b, (uint32_t)v); }

void jq_buf_put_u64(jq_buf *b, uint64_t v) {
    uint8_t le[8];
    for (int i = 0; i < 8; i++) le[i] = (uint8_t)(v >> (8 * i));
    jq_buf_put_raw(b, le, 8);
}

void jq_buf_put_bytes(jq_buf *b, const void *bytes, size_t n) {
    if (n > UINT32_MAX) { b->failed = 1; return; }
    jq_buf_put_u32(b, (uint32_t)n);
    jq_buf_put_raw(b, bytes, n);
}

void jq_buf_put_str(jq_buf *b, const char *s) {
    if (!s) s = "";
    jq_buf_put_bytes(b, s, strlen(s));
}

void jq_buf_consume(jq_buf *b, size_t n) {
    if (n >= b->len) { b->len = 0; return; }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

size_t jq_buf_begin_frame(jq_buf *b, uint8_t type) {
    size_t start = b->len;
    jq_buf_put_u32(b, 0);
    jq_buf_put_u8(b, type);
    return start;
}

void jq_buf_end_frame(jq_buf *b, size_t start) {
    if (b->failed) return;
    size_t n = b->len - start - 4;
    if (n > UINT32_MAX) { b->failed = 1; return; }
    for (int i = 0; i < 4; i++) b->data[start + i] = (uint8_t)(n >> (8 * i));
}

uint32_t jq_load_u32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const uint8_t *take(jq_reader *r, size_t n) {
    if (r->failed || r->left < n) { r->failed = 1; return NULL; }
    const uint8_t *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

uint8_t jq_rd_u8(jq_reader *r) {
    const uint8_t *p = take(r, 1);
    return p ? p[0] : 0;
}

uint32_t jq_rd_u32(jq_reader *r) {
    const uint8_t *p = take(r, 4);
    return p ? jq_load_u32(p) : 0;
}

uint64_t jq_rd_u64(jq_reader *r) {
    const uint8_t *p = take(r, 8);
    if (!p) return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

const uint8_t *jq_rd_bytes(jq_reader *r, uint32_t *len) {
    uint32_t n = jq_rd_u32(r);
    const uint8_t *p = take(r, n);
    *len = p ? n : 0;
    return p;
}

char *jq_rd_strdup(jq_reader *r) {
    uint32_t n;
    const uint8_t *p = jq_rd_bytes(r, &n);
    if (!p || memchr(p, 0, n)) { r->failed = 1; return NULL; }
    char *s = malloc((size_t)n + 1);
    if (!s) { r->failed = 1; return NULL; }
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}
