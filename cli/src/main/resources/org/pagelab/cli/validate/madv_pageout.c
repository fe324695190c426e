/* MADV_PAGEOUT of private anonymous memory, then reading it back from swap. */
#include "pl.h"

#define SIZE (16 * MIB)

int main(void)
{
	mark("start");
	char *p = anon(SIZE, 0);
	write_pages(p, SIZE, 1);
	mark("write");
	if (madvise(p, SIZE, MADV_PAGEOUT) < 0)
		die("madvise");
	mark("pageout");
	read_pages(p, SIZE);
	mark("readback");
	done();
	return 0;
}
