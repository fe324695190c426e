/*
 * A global OOM: with swap off, a child writes 128M of anonymous memory on a 64M machine, in
 * mappings of 16M (one mapping of 128M would fail: overcommit_memory 0 refuses a single request
 * larger than RAM plus swap).
 */
#include "pl.h"

#define CHUNK (16 * MIB)
#define CHUNKS 8

static void child(void)
{
	for (int i = 0; i < CHUNKS; i++)
		write_pages(anon(CHUNK, 0), CHUNK, 1);
}

int main(void)
{
	if (swapoff("/dev/ubdb") < 0)
		die("swapoff");
	child_to_oom(child);
	return 0;
}
