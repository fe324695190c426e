/*
 * Page faults per first write of private and shared anonymous memory (docs/fidelity.md, "Things
 * that differ by construction"). Built with gcc -static and booted in the validate guest as its
 * workload, it counts /proc/vmstat pgfault; with -DRUSAGE it counts the process's own faults
 * (getrusage), for a host whose pgfault other jobs move.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#define N 1024

static long faults(void)
{
#ifdef RUSAGE
	struct rusage r;

	getrusage(RUSAGE_SELF, &r);
	return r.ru_minflt + r.ru_majflt;
#else
	char b[8192], *p;
	int fd = open("/proc/vmstat", O_RDONLY);
	int n = read(fd, b, sizeof b - 1);

	close(fd);
	b[n > 0 ? n : 0] = 0;
	p = strstr(b, "\npgfault ");
	return p ? atol(p + 9) : -1;
#endif
}

static void run(const char *name, int flags, int readfirst)
{
	char *p = mmap(0, N * 4096L, PROT_READ | PROT_WRITE, flags, -1, 0);
	volatile char s = 0;
	long a, b;

	for (int pass = 0; pass < 2; pass++) {
		int reading = readfirst && pass == 0;

		a = faults();
		for (long i = 0; i < N; i++) {
			if (reading)
				s += p[i * 4096];
			else
				p[i * 4096] = pass + 1;
		}
		b = faults();
		printf("%s pass %d %s: %ld faults for %d pages\n", name, pass, reading ? "read" : "write", b - a, N);
	}
	munmap(p, N * 4096L);
}

int main(void)
{
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	run("private", MAP_PRIVATE | MAP_ANONYMOUS, 0);
	run("shared", MAP_SHARED | MAP_ANONYMOUS, 0);
	run("private read first", MAP_PRIVATE | MAP_ANONYMOUS, 1);
	run("shared read first", MAP_SHARED | MAP_ANONYMOUS, 1);
	run("shared populated", MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, 0);

	int fd = memfd_create("shmem", 0);
	char *m;
	long a, b;

	if (ftruncate(fd, N * 4096L) != 0)
		return 1;
	m = mmap(0, N * 4096L, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	a = faults();
	for (long i = 0; i < N; i++)
		m[i * 4096] = 1;
	b = faults();
	printf("memfd shared pass 0 write: %ld faults for %d pages\n", b - a, N);
	return 0;
}
