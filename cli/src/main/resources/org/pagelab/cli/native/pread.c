/* pread(2) of cached pages: reads each 4 KiB page of a file whose pages are all in the page cache. */
#include "nbench.h"

int main(int argc, char **argv) {
    long pages = nb_pages(argc, argv, 3, "PAGES FILE");
    int fd = nb_cached_file(argv[2], pages);
    static char buf[NB_PAGE];
    struct nb_mark a, b;
    nb_mark(&a);
    for (long i = 0; i < pages; i++) {
        if (pread(fd, buf, sizeof buf, i * NB_PAGE) != (ssize_t) sizeof buf) {
            nb_die("pread");
        }
    }
    nb_mark(&b);
    unlink(argv[2]);
    nb_report("pread", pages, &a, &b);
    return 0;
}
