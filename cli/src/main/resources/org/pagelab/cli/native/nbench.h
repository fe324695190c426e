/*
 * What the native reference programs of `pagelab bench` share: reading the page count, timing a
 * loop (wall: CLOCK_MONOTONIC; CPU: CLOCK_PROCESS_CPUTIME_ID) with the minor faults getrusage
 * counts over it, and the one machine-readable line each program prints:
 *
 *   native NAME events=N minflt=F wall_ns=W cpu_ns=C
 *
 * Usage of every program: NAME PAGES [FILE]; exit status 2 on bad arguments, 1 when a system
 * call fails.
 */
#ifndef NBENCH_H
#define NBENCH_H
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define NB_PAGE 4096L

struct nb_mark {
    long long wall_ns;
    long long cpu_ns;
    long minflt;
};

static inline long long nb_ns(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return (long long) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static inline void nb_mark(struct nb_mark *m) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    m->minflt = ru.ru_minflt;
    m->cpu_ns = nb_ns(CLOCK_PROCESS_CPUTIME_ID);
    m->wall_ns = nb_ns(CLOCK_MONOTONIC);
}

static inline void nb_report(const char *name, long events, const struct nb_mark *a, const struct nb_mark *b) {
    printf("native %s events=%ld minflt=%ld wall_ns=%lld cpu_ns=%lld\n", name, events, b->minflt - a->minflt,
           b->wall_ns - a->wall_ns, b->cpu_ns - a->cpu_ns);
    fflush(stdout);
}

static inline void nb_die(const char *what) {
    fprintf(stderr, "%s: %s\n", what, strerror(errno));
    exit(1);
}

/* The page count of argv[1]; exits with status 2 unless it is 1..2^24 and argc is `want`. */
static inline long nb_pages(int argc, char **argv, int want, const char *usage) {
    char *end;
    long n = argc == want ? strtol(argv[1], &end, 10) : 0;
    if (argc != want || *end != '\0' || n < 1 || n > (1L << 24)) {
        fprintf(stderr, "usage: %s %s\n", argv[0], usage);
        exit(2);
    }
    return n;
}

/* A private anonymous mapping of `pages` pages, order-0 only (no transparent huge pages). */
static inline char *nb_map_anon(long pages) {
    char *p = mmap(NULL, pages * NB_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        nb_die("mmap");
    }
    if (madvise(p, pages * NB_PAGE, MADV_NOHUGEPAGE) != 0) {
        nb_die("madvise");
    }
    return p;
}

/* Writes one byte of each of the `pages` pages at `p`. */
static inline void nb_write_each(volatile char *p, long pages, char value) {
    for (long i = 0; i < pages; i++) {
        p[i * NB_PAGE] = value;
    }
}

/* Creates `path` with `pages` written pages, so that all of them are in the page cache; returns an fd open for reading. */
static inline int nb_cached_file(const char *path, long pages) {
    static char buf[NB_PAGE];
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        nb_die(path);
    }
    for (long i = 0; i < pages; i++) {
        memset(buf, (int) (i & 0xff), sizeof buf);
        if (write(fd, buf, sizeof buf) != (ssize_t) sizeof buf) {
            nb_die("write");
        }
    }
    if (fdatasync(fd) != 0) {
        nb_die("fdatasync");
    }
    return fd;
}
#endif
