/* Shared anonymous memory (shmem) larger than RAM, written twice. */
#include "pl.h"

int main(void)
{
	mark("start");
	write_twice(64 * MIB, 1);
	done();
	return 0;
}
