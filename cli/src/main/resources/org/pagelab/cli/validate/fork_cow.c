/* Fork and copy-on-write: the child copies every page, then the parent reuses its own. */
#include "pl.h"

#define SIZE (16 * MIB)

static char *buf;

static void child(void)
{
	write_pages(buf, SIZE, 2);
}

int main(void)
{
	mark("start");
	buf = anon(SIZE, 0);
	write_pages(buf, SIZE, 1);
	mark("parent_write");
	run_child(child);
	mark("child_cow");
	write_pages(buf, SIZE, 3);
	mark("parent_reuse");
	done();
	return 0;
}
