/* io.c — see io.h. */
#include "io.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

int jq_write_all(int fd, const void *bytes, size_t n) {
    const unsigned char *p = bytes;
    while (n > 0) {
        ssize_t written = write(fd, p, n);
        if (written < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                struct pollfd pfd = { .fd = fd, .events = POLLOUT };
                poll(&pfd, 1, -1);
                continue;
            }
            return -1;
        }
        p += written;
        n -= (size_t)written;
    }
    return 0;
}

int jq_write_buf(int fd, const jq_buf *frame) {
    if (frame->failed) { errno = ENOMEM; return -1; }
    return jq_write_all(fd, frame->data, frame->len);
}
