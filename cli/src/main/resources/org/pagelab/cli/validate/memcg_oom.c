/* A memory cgroup OOM: a child in a cgroup of memory.max 16M, no swap, writes 32M of anonymous memory. */
#include "pl.h"

#define SIZE (32 * MIB)

static void child(void)
{
	cgroup_enter();
	char *p = anon(SIZE, 0);
	write_pages(p, SIZE, 1);
}

int main(void)
{
	cgroup_make("16777216\n", "0\n");
	child_to_oom(child);
	return 0;
}
