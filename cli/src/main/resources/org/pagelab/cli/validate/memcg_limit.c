/*
 * A memory cgroup with memory.max 16M and memory.swap.max 32M: anonymous memory of 24M written
 * twice inside it, then a 24M file (written outside it and dropped) read twice inside it.
 */
#include "pl.h"

#define ANON (24 * MIB)
#define FILE_SIZE (24 * MIB)

int main(void)
{
	cgroup_make("16777216\n", "33554432\n");
	int fd = file_write("/data/cg", FILE_SIZE);
	if (fsync(fd) < 0)
		die("fsync");
	close(fd);
	drop_caches(3);
	mark("start");
	cgroup_enter();
	char *p = anon(ANON, 0);
	write_pages(p, ANON, 1);
	mark("anon1");
	write_pages(p, ANON, 2);
	mark("anon2");
	if (munmap(p, ANON) < 0)
		die("munmap");
	mark("munmap");
	read_twice("/data/cg");
	done();
	return 0;
}
