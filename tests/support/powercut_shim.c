/* powercut_shim: an LD_PRELOAD library for the power-loss test. It records every
 * write, truncate, sync and unlink that a process makes to the store's files (paths
 * starting with $POWERCUT_MATCH; the -shm file is left out: it is rebuilt after a
 * crash) in the binary log $POWERCUT_LOG, and "cuts the power" at the operation
 * numbered $POWERCUT_AT (counted across every process that shares the counter file
 * $POWERCUT_LOG.count): the operation is not done and the whole process group is
 * killed with SIGKILL, so nothing after it reaches the disk or the terminal.
 *
 * Log record: u32 op, u32 file, i64 offset, i64 length, then `length` bytes (the data
 * of a write, the path of an open). The test rebuilds disk states from it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

enum { OP_OPEN = 1, OP_WRITE = 2, OP_TRUNCATE = 3, OP_SYNC = 4, OP_UNLINK = 5 };
enum { MAX_FD = 4096 };

struct record {
    uint32_t op;
    uint32_t file;
    int64_t offset;
    int64_t length;
};

static int tracked[MAX_FD]; /* fd -> file id + 1 (0: not tracked) */
static int next_file_id = 0;

static const char* match(void) { return getenv("POWERCUT_MATCH"); }

static int is_tracked_path(const char* path) {
    const char* m = match();
    if (!m || !*m || !path) return 0;
    if (strncmp(path, m, strlen(m)) != 0) return 0;
    const size_t n = strlen(path);
    return !(n >= 4 && strcmp(path + n - 4, "-shm") == 0);
}

static void raw_write_all(int fd, const void* data, size_t size) {
    const char* p = (const char*)data;
    while (size > 0) {
        const long n = syscall(SYS_write, fd, p, size);
        if (n <= 0) return;
        p += n;
        size -= (size_t)n;
    }
}

static void log_record(uint32_t op, uint32_t file, int64_t offset, const void* data, int64_t length) {
    const char* path = getenv("POWERCUT_LOG");
    if (!path) return;
    const int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    struct record r = {op, file, offset, length};
    raw_write_all(fd, &r, sizeof r);
    if (length > 0) raw_write_all(fd, data, (size_t)length);
    syscall(SYS_close, fd);
}

/* Counts one operation on a store file; at the cut point the power goes. */
static void tick(void) {
    const char* log = getenv("POWERCUT_LOG");
    if (!log) return;
    char counter_path[4096];
    snprintf(counter_path, sizeof counter_path, "%s.count", log);
    const int fd = (int)syscall(SYS_openat, AT_FDCWD, counter_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    int64_t n = 0;
    if (syscall(SYS_pread64, fd, &n, sizeof n, 0) != (long)sizeof n) n = 0;
    ++n;
    syscall(SYS_pwrite64, fd, &n, sizeof n, 0);
    syscall(SYS_close, fd);
    const char* at = getenv("POWERCUT_AT");
    if (at && atoll(at) > 0 && n >= atoll(at)) {
        kill(0, SIGKILL);
        syscall(SYS_kill, getpid(), SIGKILL);
    }
}

static void note_open(int fd, const char* path) {
    if (fd < 0 || fd >= MAX_FD) return;
    tracked[fd] = 0;
    if (!is_tracked_path(path)) return;
    tracked[fd] = ++next_file_id;
    log_record(OP_OPEN, (uint32_t)next_file_id, 0, path, (int64_t)strlen(path));
}

static int file_of(int fd) { return fd >= 0 && fd < MAX_FD ? tracked[fd] : 0; }

#define REAL(name) static __typeof__(name)* real_##name; if (!real_##name) real_##name = (__typeof__(name)*)dlsym(RTLD_NEXT, #name)

static mode_t mode_arg(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char* path, int flags, ...) {
    REAL(open);
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    const int fd = real_open(path, flags, mode);
    note_open(fd, path);
    return fd;
}

int open64(const char* path, int flags, ...) {
    REAL(open64);
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    const int fd = real_open64(path, flags, mode);
    note_open(fd, path);
    return fd;
}

int openat(int dir, const char* path, int flags, ...) {
    REAL(openat);
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    const int fd = real_openat(dir, path, flags, mode);
    note_open(fd, path);
    return fd;
}

int openat64(int dir, const char* path, int flags, ...) {
    REAL(openat64);
    va_list ap;
    va_start(ap, flags);
    const mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    const int fd = real_openat64(dir, path, flags, mode);
    note_open(fd, path);
    return fd;
}

int close(int fd) {
    REAL(close);
    if (fd >= 0 && fd < MAX_FD) tracked[fd] = 0;
    return real_close(fd);
}

static void before_write(int fd, const void* data, size_t size, int64_t offset) {
    const int file = file_of(fd);
    if (!file) return;
    tick();
    log_record(OP_WRITE, (uint32_t)file, offset, data, (int64_t)size);
}

ssize_t write(int fd, const void* data, size_t size) {
    REAL(write);
    if (file_of(fd)) before_write(fd, data, size, (int64_t)lseek(fd, 0, SEEK_CUR));
    return real_write(fd, data, size);
}

ssize_t pwrite(int fd, const void* data, size_t size, off_t offset) {
    REAL(pwrite);
    before_write(fd, data, size, (int64_t)offset);
    return real_pwrite(fd, data, size, offset);
}

ssize_t pwrite64(int fd, const void* data, size_t size, off64_t offset) {
    REAL(pwrite64);
    before_write(fd, data, size, (int64_t)offset);
    return real_pwrite64(fd, data, size, offset);
}

static void before_simple(int fd, uint32_t op, int64_t offset) {
    const int file = file_of(fd);
    if (!file) return;
    tick();
    log_record(op, (uint32_t)file, offset, NULL, 0);
}

int ftruncate(int fd, off_t length) {
    REAL(ftruncate);
    before_simple(fd, OP_TRUNCATE, (int64_t)length);
    return real_ftruncate(fd, length);
}

int ftruncate64(int fd, off64_t length) {
    REAL(ftruncate64);
    before_simple(fd, OP_TRUNCATE, (int64_t)length);
    return real_ftruncate64(fd, length);
}

int fsync(int fd) {
    REAL(fsync);
    before_simple(fd, OP_SYNC, 0);
    return real_fsync(fd);
}

int fdatasync(int fd) {
    REAL(fdatasync);
    before_simple(fd, OP_SYNC, 0);
    return real_fdatasync(fd);
}

int unlink(const char* path) {
    REAL(unlink);
    if (is_tracked_path(path)) {
        tick();
        log_record(OP_UNLINK, 0, 0, path, (int64_t)strlen(path));
    }
    return real_unlink(path);
}
