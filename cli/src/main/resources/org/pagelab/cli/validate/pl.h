/*
 * Helpers of the validation workloads (pagelab validate): each workload is a static program run
 * as the only user program of a user-mode Linux guest. At every phase boundary it calls mark(),
 * which prints the guest's counters as lines that pagelab's parser reads:
 *
 *   @mark NAME NANOSECONDS          start of a snapshot (CLOCK_MONOTONIC)
 *   vmstat KEY VALUE                every line of /proc/vmstat
 *   meminfo KEY VALUE               every line of /proc/meminfo (kB, as printed)
 *   memory.stat KEY VALUE           the workload cgroup's memory.stat, when it has one
 *   memory.events KEY VALUE         the workload cgroup's memory.events, when it has one
 *   @end NAME                       end of the snapshot
 *
 * The first mark is preceded by the boot's figures, between "@boot" and "@end boot":
 *
 *   sysctl NAME VALUE               vm.min_free_kbytes, watermark_scale_factor, swappiness, ...
 *   zoneinfo ZONE KEY VALUE         spanned, present, managed, min, low, high of every zone
 *
 * done() prints "@done" when the workload finished; errors print "@error MESSAGE"; a workload
 * that waits for a child prints "@status signal N" or "@status exit N".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096L
#define MIB (1024L * 1024L)
#define CGROUP "/sys/fs/cgroup/w"
/* Every helper is static; a workload uses some of them. */
#define PL_FN static __attribute__((unused))

static char pl_in[256 * 1024];
static char pl_out[512 * 1024];
static size_t pl_len;
static int pl_cgroup;

PL_FN void pl_flush(void)
{
	size_t off = 0;
	while (off < pl_len) {
		ssize_t n = write(1, pl_out + off, pl_len - off);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	pl_len = 0;
}

PL_FN void pl_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(pl_out + pl_len, sizeof(pl_out) - pl_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		pl_len += (size_t)n < sizeof(pl_out) - pl_len ? (size_t)n : sizeof(pl_out) - pl_len - 1;
	if (pl_len > sizeof(pl_out) - 4096)
		pl_flush();
}

PL_FN void die(const char *what)
{
	pl_printf("@error %s: %s\n", what, strerror(errno));
	pl_flush();
	exit(1);
}

/* Reads the whole of small file PATH into pl_in; returns its length. */
PL_FN size_t slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	size_t len = 0;
	for (;;) {
		ssize_t n = read(fd, pl_in + len, sizeof(pl_in) - 1 - len);
		if (n < 0)
			die(path);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	pl_in[len] = 0;
	return len;
}

/* Prints every "KEY VALUE" line of PATH as "PREFIX KEY VALUE"; meminfo's colon and unit go. */
PL_FN void dump(const char *path, const char *prefix)
{
	slurp(path);
	char *line = pl_in;
	while (*line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char key[128];
		unsigned long long v;
		if (sscanf(line, "%127[^: ]%*[: ]%llu", key, &v) == 2)
			pl_printf("%s %s %llu\n", prefix, key, v);
		if (!nl)
			break;
		line = nl + 1;
	}
}

/* Prints the boot's figures once: the vm sysctls and, per populated zone, its size and watermarks. */
PL_FN void boot_info(void)
{
	static const char *sysctls[] = {"min_free_kbytes", "watermark_scale_factor", "swappiness",
					"page-cluster", "overcommit_memory", "overcommit_ratio"};
	for (size_t i = 0; i < sizeof(sysctls) / sizeof(sysctls[0]); i++) {
		char path[96];
		snprintf(path, sizeof(path), "/proc/sys/vm/%s", sysctls[i]);
		slurp(path);
		pl_printf("sysctl %s %lld\n", sysctls[i], atoll(pl_in));
	}
	slurp("/proc/zoneinfo");
	char zone[32] = "";
	char *line = pl_in;
	while (*line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		char key[32];
		unsigned long long v;
		if (sscanf(line, "Node %*d, zone %31s", zone) == 1)
			;
		else if (sscanf(line, " %31s %llu", key, &v) == 2
			 && (!strcmp(key, "min") || !strcmp(key, "low") || !strcmp(key, "high")
			     || !strcmp(key, "spanned") || !strcmp(key, "present") || !strcmp(key, "managed")))
			pl_printf("zoneinfo %s %s %llu\n", zone, key, v);
		if (!nl)
			break;
		line = nl + 1;
	}
}

/* Prints a snapshot of every counter, named NAME; the first also prints the boot's figures. */
PL_FN void mark(const char *name)
{
	static int marked;
	if (!marked++) {
		pl_printf("@boot\n");
		boot_info();
		pl_printf("@end boot\n");
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	pl_printf("@mark %s %lld\n", name, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
	dump("/proc/vmstat", "vmstat");
	dump("/proc/meminfo", "meminfo");
	if (pl_cgroup) {
		dump(CGROUP "/memory.stat", "memory.stat");
		dump(CGROUP "/memory.events", "memory.events");
	}
	pl_printf("@end %s\n", name);
	pl_flush();
}

PL_FN void done(void)
{
	pl_printf("@done\n");
	pl_flush();
}

PL_FN void put(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		die(path);
	if (write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		die(path);
	close(fd);
}

/* echo N > /proc/sys/vm/drop_caches */
PL_FN void drop_caches(int n)
{
	char v[4] = {(char)('0' + n), '\n', 0};
	put("/proc/sys/vm/drop_caches", v);
}

/* Makes cgroup w with memory.max MAX and memory.swap.max SWAPMAX (strings as the files take them). */
PL_FN void cgroup_make(const char *max, const char *swapmax)
{
	put("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	if (mkdir(CGROUP, 0755) < 0 && errno != EEXIST)
		die(CGROUP);
	put(CGROUP "/memory.max", max);
	put(CGROUP "/memory.swap.max", swapmax);
	pl_cgroup = 1;
}

/* Moves the calling process into cgroup w. */
PL_FN void cgroup_enter(void)
{
	char pid[32];
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	put(CGROUP "/cgroup.procs", pid);
}

/* Private (or shared) anonymous memory of LEN bytes. */
PL_FN char *anon(long len, int shared)
{
	char *p = mmap(NULL, (size_t)len, PROT_READ | PROT_WRITE,
		       (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

/* Stores one byte in every page of [P, P + LEN). */
PL_FN void write_pages(char *p, long len, char v)
{
	for (long off = 0; off < len; off += PAGE)
		((volatile char *)p)[off] = v;
}

/* Loads one byte of every page of [P, P + LEN); returns their sum so the loads stay. */
PL_FN long read_pages(const char *p, long len)
{
	long sum = 0;
	for (long off = 0; off < len; off += PAGE)
		sum += ((const volatile char *)p)[off];
	return sum;
}

static char pl_chunk[1024 * 1024];

/* Writes LEN bytes to the file at PATH (created), 1 MiB per write(2); returns the open descriptor. */
PL_FN int file_write(const char *path, long len)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die(path);
	memset(pl_chunk, 0x5a, sizeof(pl_chunk));
	for (long off = 0; off < len; off += (long)sizeof(pl_chunk))
		if (write(fd, pl_chunk, sizeof(pl_chunk)) != (ssize_t)sizeof(pl_chunk))
			die("write");
	return fd;
}

/* Reads the file at FD from its start to its end, 1 MiB per read(2). */
PL_FN void file_read(int fd)
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		die("lseek");
	for (;;) {
		ssize_t n = read(fd, pl_chunk, sizeof(pl_chunk));
		if (n < 0)
			die("read");
		if (n == 0)
			break;
	}
}

/* Prints how a child ended: "@status signal N" or "@status exit N". */
PL_FN void report_status(int status)
{
	pl_printf("@status %s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
		  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

/* Runs CHILD in a new process and waits for it; returns its wait status. */
PL_FN int run_child(void (*child)(void))
{
	pl_flush();
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		child();
		_exit(0);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return status;
}

/* Phases write1 and write2: anonymous memory (SHARED: shmem) of SIZE written twice, one byte a page. */
PL_FN void write_twice(long size, int shared)
{
	char *p = anon(size, shared);
	write_pages(p, size, 1);
	mark("write1");
	write_pages(p, size, 2);
	mark("write2");
}

/* Phases read1 and read2: the file at PATH read twice from start to end. */
PL_FN void read_twice(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	file_read(fd);
	mark("read1");
	file_read(fd);
	mark("read2");
	close(fd);
}

/* Phase oom: CHILD runs until the OOM killer ends it; how it ended is printed before the mark. */
PL_FN void child_to_oom(void (*child)(void))
{
	mark("start");
	report_status(run_child(child));
	mark("oom");
	done();
}
