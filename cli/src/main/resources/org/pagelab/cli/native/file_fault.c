/*
 * Read faults on a cached file: maps a file whose pages are all in the page cache private and
 * read-only, and reads one byte of each page. With fault-around one fault maps several pages,
 * so the events are the faults getrusage counts, not the pages.
 */
#include "nbench.h"

int main(int argc, char **argv) {
    long pages = nb_pages(argc, argv, 3, "PAGES FILE");
    int fd = nb_cached_file(argv[2], pages);
    volatile unsigned char *p = mmap(NULL, pages * NB_PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        nb_die("mmap");
    }
    long sum = 0;
    struct nb_mark a, b;
    nb_mark(&a);
    for (long i = 0; i < pages; i++) {
        sum += p[i * NB_PAGE];
    }
    nb_mark(&b);
    unlink(argv[2]);
    if (sum < 0) {
        return 1;
    }
    nb_report("file_fault", b.minflt - a.minflt, &a, &b);
    return 0;
}
