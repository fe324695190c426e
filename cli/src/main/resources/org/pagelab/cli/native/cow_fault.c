/* Copy-on-write faults: a child writes each page its parent had written before fork(). */
#include "nbench.h"
#include <sys/wait.h>

int main(int argc, char **argv) {
    long pages = nb_pages(argc, argv, 2, "PAGES");
    volatile char *p = nb_map_anon(pages);
    nb_write_each(p, pages, 1);
    fflush(stdout);
    pid_t child = fork();
    if (child < 0) {
        nb_die("fork");
    }
    if (child == 0) {
        struct nb_mark a, b;
        nb_mark(&a);
        nb_write_each(p, pages, 2);
        nb_mark(&b);
        nb_report("cow_fault", pages, &a, &b);
        _exit(0);
    }
    int status;
    if (waitpid(child, &status, 0) != child) {
        nb_die("waitpid");
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
