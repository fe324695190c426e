/* Private anonymous memory larger than RAM, written twice: swap-out, then swap-in and refaults. */
#include "pl.h"

int main(void)
{
	mark("start");
	write_twice(64 * MIB, 0);
	done();
	return 0;
}
