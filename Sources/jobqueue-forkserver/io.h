/* io.h — blocking writes that survive EINTR and short writes. */
#ifndef JQ_FORKSERVER_IO_H
#define JQ_FORKSERVER_IO_H

#include <stddef.h>
#include "buffer.h"

/** Writes all `n` bytes to `fd` (waiting while a non-blocking fd is full); 0 or -1 with errno. */
int jq_write_all(int fd, const void *bytes, size_t n);

/** Writes a finished frame buffer to `fd`; -1 if the buffer failed to build or the write failed. */
int jq_write_buf(int fd, const jq_buf *frame);

#endif
