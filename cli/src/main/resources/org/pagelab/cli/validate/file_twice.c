/* A file larger than RAM written, synced, dropped from the cache and read twice. */
#include "pl.h"

#define SIZE (64 * MIB)

int main(void)
{
	mark("start");
	int fd = file_write("/data/big", SIZE);
	mark("write");
	if (fsync(fd) < 0)
		die("fsync");
	close(fd);
	mark("sync");
	drop_caches(3);
	mark("drop");
	read_twice("/data/big");
	if (unlink("/data/big") < 0)
		die("unlink");
	mark("unlink");
	done();
	return 0;
}
