// SPDX-License-Identifier: MIT
/*
 * ioana's eBPF collector, the user side: loads ioana.bpf.c (embedded, see build.sh),
 * attaches it, and passes its records on to ioana through standard output, unchanged.
 *
 *   ioana-ebpf [--pages N] [--check] [--containers] NR=KIND ...
 *
 * NR=KIND (hexadecimal KIND, see record.h's K_* bits) says what the kernel side does for
 * system call NR; ioana works them out from its one syscall table. --pages sets the ring
 * buffer (4 KiB pages, rounded up to a power of two). --check loads and attaches, then
 * exits 0: whether eBPF can trace here. --containers follows the processes of containers
 * that a runtime (runc, crun) starts while tracing (ADOPT records; ioana keeps those a
 * client of the build asked for).
 *
 * Standard input takes commands, one a line: `follow PID` (trace that process and what
 * it starts; answered by a FOLLOWING record), `stop` (or the end of input: pass on what
 * is left, then END). Standard output is the record stream: READY first, END last.
 * The loader ends by itself after END once the last followed process has ended.
 *
 * Records are read from the ring buffer as soon as they come and held in memory while
 * ioana is busy (the pipe is full), so that a slow reader never fills the kernel's
 * buffer. Exit status: 0 after END; 2 bad arguments; 3 the program did not load; 4 it
 * did not attach; 5 another failure (each with one line on standard error).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "record.h"
#include "ioana.skel.h"

#define POLL_MS 10
#define DEFAULT_PAGES 4096 /* 16 MiB */

/* Records waiting to be written to standard output. */
static struct {
	char *data;
	size_t start, end, cap;
} out;

static unsigned long long passed;
static int kernel_done;
static volatile sig_atomic_t signalled;

/* The last lines libbpf wrote: what a failure to load says. */
static char said[4][512];
static int said_n;

static void die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ioana-ebpf: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static int on_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	char line[512];
	if (getenv("IOANA_EBPF_VERBOSE")) {
		va_list copy;
		va_copy(copy, ap);
		vfprintf(stderr, fmt, copy);
		va_end(copy);
	}
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = 0;
	if (!line[0])
		return 0;
	snprintf(said[said_n % 4], sizeof(said[0]), "%s", line);
	said_n++;
	return 0;
}

/* libbpf's last message that says why, or `fallback`. */
static const char *why(const char *fallback)
{
	for (int i = 0; i < 4 && i < said_n; i++) {
		const char *line = said[(said_n - 1 - i) % 4];
		if (strstr(line, "failed") || strstr(line, "error") || strstr(line, "Error"))
			return line;
	}
	return said_n ? said[(said_n - 1) % 4] : fallback;
}

static void put(const void *data, size_t size)
{
	if (out.end + size > out.cap) {
		if (out.start > 0 && out.end - out.start + size <= out.cap) {
			memmove(out.data, out.data + out.start, out.end - out.start);
		} else {
			size_t cap = out.cap ? out.cap : 1 << 20;
			while (cap < out.end - out.start + size)
				cap *= 2;
			char *grown = malloc(cap);
			if (!grown)
				die(5, "out of memory holding %zu bytes of records", out.end - out.start);
			memcpy(grown, out.data + out.start, out.end - out.start);
			free(out.data);
			out.data = grown;
			out.cap = cap;
		}
		out.end -= out.start;
		out.start = 0;
	}
	memcpy(out.data + out.end, data, size);
	out.end += size;
}

/* Writes what standard output takes now (all of it when `wait`). */
static void flush(int wait)
{
	while (out.start < out.end) {
		ssize_t n = write(1, out.data + out.start, out.end - out.start);
		if (n > 0) {
			out.start += n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (!wait)
				return;
			struct pollfd p = { .fd = 1, .events = POLLOUT };
			poll(&p, 1, 1000);
			continue;
		}
		/* ioana is gone: nobody reads what is traced. */
		exit(5);
	}
	out.start = out.end = 0;
}

static void loader_record(unsigned short type, unsigned int tid, const void *body, size_t size)
{
	struct rec_head h = { .size = sizeof(h) + size, .type = type, .tid = tid };
	put(&h, sizeof(h));
	if (size)
		put(body, size);
}

static int on_record(void *ctx, void *data, size_t size)
{
	const struct rec_head *h = data;
	if (size < sizeof(*h) || h->size != size)
		return 0;
	put(data, size);
	passed++;
	if (h->type == REC_DONE)
		kernel_done = 1;
	return 0;
}

static unsigned long long missed_runs(struct ioana_bpf *skel)
{
	unsigned long long sum = 0;
	struct bpf_program *prog;
	bpf_object__for_each_program(prog, skel->obj)
	{
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			sum += info.recursion_misses;
	}
	return sum;
}

static void end(struct ioana_bpf *skel, struct ring_buffer *rb)
{
	ring_buffer__consume(rb);
	struct rec_end e = {};
	e.lost = skel->bss->lost;
	e.missed = missed_runs(skel);
	e.unfollowed = skel->bss->unfollowed;
	e.uncounted = skel->bss->uncounted;
	e.alive = skel->bss->live_groups > 0 ? skel->bss->live_groups : 0;
	e.records = passed;
	loader_record(REC_END, 0, (char *)&e + sizeof(struct rec_head), sizeof(e) - sizeof(struct rec_head));
	flush(1);
	ring_buffer__free(rb);
	ioana_bpf__destroy(skel);
	exit(0);
}

static void follow(struct ioana_bpf *skel, int pid)
{
	size_t size = bpf_map__value_size(skel->maps.followed);
	void *none = calloc(1, size);
	if (!none)
		die(5, "out of memory");
	__u32 key = pid;
	skel->bss->live_groups = 1;
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.followed), &key, none, BPF_ANY))
		die(5, "could not follow process %d: %s", pid, strerror(errno));
	free(none);
	loader_record(REC_FOLLOWING, pid, 0, 0);
	flush(1);
}

/* Reads the commands waiting on standard input; 1 when tracing should stop. */
static int commands(struct ioana_bpf *skel)
{
	static char line[256];
	static size_t have;
	ssize_t n = read(0, line + have, sizeof(line) - 1 - have);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : 1;
	if (n == 0)
		return 1;
	have += n;
	line[have] = 0;
	char *nl;
	while ((nl = strchr(line, '\n'))) {
		*nl = 0;
		int pid;
		if (sscanf(line, "follow %d", &pid) == 1 && pid > 0)
			follow(skel, pid);
		else if (!strcmp(line, "stop"))
			return 1;
		have -= nl + 1 - line;
		memmove(line, nl + 1, have + 1);
	}
	if (have >= sizeof(line) - 1)
		have = 0;
	return 0;
}

static void on_signal(int sig)
{
	signalled = sig;
}

static unsigned int ring_bytes(long pages)
{
	unsigned long bytes = 4096;
	while (bytes < (unsigned long)pages * 4096 && bytes < (1UL << 30))
		bytes *= 2;
	return bytes;
}

static void set_calls(struct ioana_bpf *skel, int argc, char **argv, int first)
{
	for (int i = first; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		char *rest;
		long nr = strtol(argv[i], &rest, 10);
		if (!eq || rest != eq || nr < 0 || nr >= IOANA_NR_CALLS)
			die(2, "bad call %s: give NR=KIND, NR below %d and KIND in hexadecimal", argv[i], IOANA_NR_CALLS);
		unsigned long long kind = strtoull(eq + 1, &rest, 16);
		if (*rest)
			die(2, "bad kind in %s", argv[i]);
		skel->rodata->call_kind[nr] = kind;
	}
}

int main(int argc, char **argv)
{
	long pages = DEFAULT_PAGES;
	int check = 0, containers = 0, i = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--pages") && i + 1 < argc)
			pages = strtol(argv[++i], 0, 10);
		else if (!strcmp(argv[i], "--check"))
			check = 1;
		else if (!strcmp(argv[i], "--containers"))
			containers = 1;
		else
			die(2, "unknown option %s (usage: ioana-ebpf [--pages N] [--check] [--containers] NR=KIND ...)", argv[i]);
	}
	if (pages < 1)
		die(2, "--pages must be 1 or more");
	libbpf_set_print(on_libbpf);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);

	struct ioana_bpf *skel = ioana_bpf__open();
	if (!skel)
		die(3, "could not open the eBPF program: %s", why(strerror(errno)));
	set_calls(skel, argc, argv, i);
	skel->rodata->follow_containers = containers;
	unsigned int bytes = ring_bytes(pages);
	if (bpf_map__set_max_entries(skel->maps.records, bytes))
		die(3, "could not size the ring buffer: %s", strerror(errno));
	if (ioana_bpf__load(skel))
		die(3, "could not load the eBPF program: %s", why(strerror(errno)));
	if (ioana_bpf__attach(skel))
		die(4, "could not attach the eBPF program: %s", why(strerror(errno)));
	if (check) {
		ioana_bpf__destroy(skel);
		return 0;
	}

	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.records), on_record, 0, 0);
	if (!rb)
		die(5, "could not read the ring buffer: %s", strerror(errno));
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	fcntl(1, F_SETFL, fcntl(1, F_GETFL) | O_NONBLOCK);
	struct rec_ready ready = { .version = IOANA_WIRE_VERSION, .ring_bytes = bytes };
	loader_record(REC_READY, 0, (char *)&ready + sizeof(struct rec_head), sizeof(ready) - sizeof(struct rec_head));
	flush(1);

	int input = 1;
	for (;;) {
		struct pollfd fds[3] = {
			{ .fd = ring_buffer__epoll_fd(rb), .events = POLLIN },
			{ .fd = input ? 0 : -1, .events = POLLIN },
			{ .fd = out.end > out.start ? 1 : -1, .events = POLLOUT },
		};
		poll(fds, 3, POLL_MS);
		if (ring_buffer__consume(rb) < 0 && errno != EINTR)
			die(5, "could not read the ring buffer: %s", strerror(errno));
		int stop = 0;
		if (input && fds[1].revents)
			stop = commands(skel);
		if (fds[2].revents & (POLLERR | POLLHUP))
			exit(5);
		flush(0);
		if (stop || kernel_done || signalled)
			end(skel, rb);
	}
}
