/* Anonymous write faults: writes one byte to each page of a fresh private anonymous mapping. */
#include "nbench.h"

int main(int argc, char **argv) {
    long pages = nb_pages(argc, argv, 2, "PAGES");
    volatile char *p = nb_map_anon(pages);
    struct nb_mark a, b;
    nb_mark(&a);
    nb_write_each(p, pages, 1);
    nb_mark(&b);
    nb_report("anon_fault", pages, &a, &b);
    return 0;
}
