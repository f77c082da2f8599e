// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * ioana's eBPF collector, the kernel side (DESIGN §1.1). It follows one build's process
 * tree and writes one record per traced system call into a ring buffer, which the loader
 * (loader.c) drains into a pipe to ioana. record.h says what each record holds.
 *
 * - Following: `followed` holds the thread groups of the build. The loader puts the
 *   command's process in it; a fork of a followed thread puts the child's group in; the
 *   end of a group's last thread takes it out. When none is left, a DONE record says so.
 * - Containers (issue 27): a container daemon starts a container's processes outside the
 *   build's tree. A process a container runtime (runc, crun) makes in a PID namespace below
 *   its own is `waiting`; when it execs the container's command it is followed too (an
 *   ADOPT record, then its EXEC), and so is what it starts. ioana decides whose it is (the
 *   docker client of the build that asked, or nobody's). Adopted groups do not keep the
 *   trace open: a container left running does not hold the build.
 * - Filtering: `call_kind[nr]` (set by the loader before the program is loaded, from
 *   ioana's one syscall table) says what to do with each call; kind 0 costs one load.
 * - Names: a descriptor a call made (open*, pipe) is resolved here, at the call's exit,
 *   from the kernel's own file (the dentry chain up to the task's root, mounts crossed,
 *   put together root first),
 *   which is what /proc/PID/fd/N (strace's -yy) shows at that moment; the working
 *   directory after chdir/fchdir likewise from the task's fs. Nothing is looked up
 *   again later, so nothing can have changed in between.
 * - Byte counts: read/write/send/recv results are summed per descriptor in `counts`
 *   and sent with the close() that ends them, or in a BYTES field when exec, close_range
 *   or the process's end closes them: no record per read or write.
 * - Failing closed: a record the ring buffer has no room for, a process the table of
 *   followed processes has no room for, are counted (`lost`, `unfollowed`); a string
 *   that cannot be read is marked in its field. ioana refuses a trace with any of them.
 *
 * Licensed MIT or GPL-2.0: the kernel lets only GPL-compatible programs call the helpers
 * that read memory (bpf_probe_read_*).
 */
#include <linux/bpf.h>
#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "record.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* One record is built here before it is copied into the ring buffer. */
#define SCRATCH 32768
/* Room a field needs at most: its head, a file_info, a path. */
#define FIELD_ROOM (8 + sizeof(struct file_info) + IOANA_PATH_MAX + IOANA_NAME_MAX + 1 + 8)
/* Descriptors whose byte counts are kept one by one (above: together). */
#define COUNTED_WORDS 16
#define COUNTED_FDS (COUNTED_WORDS * 64)
/* Most directories above a file walked (a deeper one is marked incomplete). */
#define WALK_MAX 1024

#define PIPEFS_MAGIC 0x50495045
#define S_IFMT 00170000
#define S_IFCHR 0020000
#define S_IFBLK 0060000
#define CLONE_VM 0x00000100
#define CLONE_VFORK 0x00004000
#define SIGCHLD 17
#define NR_CLONE 56
#define NR_FORK 57
#define NR_VFORK 58
#define NR_CLONE3 435
#define USER32_CS 0x23

const volatile __u64 call_kind[IOANA_NR_CALLS] = {};

/* Counters the loader reads at the end (see struct rec_end). */
__u64 lost = 0;
__u64 unfollowed = 0;
__u64 uncounted = 0;
__s64 live_groups = 0;
/* Set by the loader: follow the processes of containers (see Containers above). */
const volatile __u32 follow_containers = 0;

struct proc {
	u64 counted[COUNTED_WORDS]; /* bit fd: `counts` holds (tgid, fd) */
	u64 over_read;              /* bytes on descriptors >= COUNTED_FDS */
	u64 over_written;
	u64 adopted;                /* a container's process (see Containers above) */
};

struct fd_key {
	u32 tgid;
	s32 fd;
};

struct counts {
	u64 read;
	u64 written;
};

struct scratch {
	u8 buf[SCRATCH] __attribute__((aligned(8)));
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20); /* the loader sets it (--pages) */
} records SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 65536);
	__type(key, u32);
	__type(value, struct proc);
} followed SEC(".maps");

/* Container processes a runtime made, until they exec the container's command (value unused). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1024);
	__type(key, u32);
	__type(value, u32);
} waiting SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 262144);
	__type(key, struct fd_key);
	__type(value, struct counts);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static const u32 zero = 0;

/* The compiler forgets what it knows of `v`, so that a bound check stays on the register the helper gets. */
#define opaque(v) asm volatile("" : "+r"(v))
/*
 * Whether `kind` has `bit`, tested on a copy: a test of `kind` itself would teach the
 * verifier that bit, and it would then check what follows once per combination of bits.
 */
#define has(kind, bit)                    \
	({                                \
		u64 __v = (kind) & (bit); \
		opaque(__v);              \
		__v != 0;                 \
	})

static __always_inline struct scratch *buffer(void)
{
	return bpf_map_lookup_elem(&scratch, &zero);
}

static __always_inline void emit(struct scratch *s, u32 size, u64 flags)
{
	if (size < sizeof(struct rec_head) || size >= SCRATCH)
		return;
	/* Not a change (size < SCRATCH), hidden from the compiler: the verifier's proof that the copy stays in the buffer. */
	opaque(size);
	size &= SCRATCH - 1;
	((struct rec_head *)s->buf)->size = size;
	if (bpf_ringbuf_output(&records, s->buf, size, flags))
		__sync_fetch_and_add(&lost, 1);
}

static __always_inline void head(struct scratch *s, u16 type, u32 tid, u32 tgid)
{
	struct rec_head *h = (void *)s->buf;
	h->size = 0;
	h->type = type;
	h->flags = 0;
	h->tid = tid;
	h->tgid = tgid;
}

static __always_inline u32 round8(u32 n)
{
	return (n + 7) & ~7U;
}

/* Closes a field of `len` payload bytes that starts at `off`: the next field's offset. */
static __always_inline u32 close_field(struct scratch *s, u32 off, u16 type, u16 aux, u32 len)
{
	if (off > SCRATCH - FIELD_ROOM)
		return off;
	struct field_head *f = (void *)&s->buf[off];
	f->type = type;
	f->aux = aux;
	f->len = len;
	u32 end = off + 8 + round8(len);
	/* Padding zeroed: the bytes after a string are whatever the last record left. */
	if (len & 7) {
		u32 pad = off + 8 + len;
		if (pad < SCRATCH - 8)
			*(u64 *)&s->buf[pad & ~7U] &= (1ULL << ((pad & 7) * 8)) - 1;
	}
	return end;
}

/* ---- system call arguments ------------------------------------------------------ */

static __always_inline u64 arg_of(struct pt_regs *regs, u32 k)
{
	switch (k) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	case 2:
		return regs->dx;
	case 3:
		return regs->r10;
	case 4:
		return regs->r8;
	default:
		return regs->r9;
	}
}

/*
 * A string of the process at `ptr`: an F_STR, F_PATH or F_ARG field (type << 16 | aux),
 * FA_FAILED when it cannot be read. A `cut` string is an execve argument: strace keeps its
 * first 4096 bytes and says when there were more (FA_CUT); a path is read whole.
 *
 * This and the other put_* functions below are global functions: the verifier checks each
 * once, and a call's record, whichever fields it has, is then one path, not one per
 * combination of fields.
 */
__noinline int put_str(struct scratch *s, u32 off, u32 type_aux, u64 ptr, u32 cut)
{
	if (!s)
		return off;
	u16 type = type_aux >> 16, aux = type_aux;
	if (off > SCRATCH - FIELD_ROOM) {
		((struct rec_head *)s->buf)->flags |= RF_OVERFLOW;
		return off;
	}
	long n;
	if (cut)
		n = bpf_probe_read_user_str(&s->buf[off + 8], IOANA_ARG_MAX, (const void *)ptr);
	else
		n = bpf_probe_read_user_str(&s->buf[off + 8], IOANA_PATH_MAX, (const void *)ptr);
	if (n <= 0)
		return close_field(s, off, type, aux | FA_FAILED, 0);
	if (cut && n >= IOANA_ARG_MAX)
		return close_field(s, off, type, aux | FA_CUT, IOANA_ARG_MAX - 2);
	return close_field(s, off, type, aux, n - 1);
}

/* ---- names: a file's path, walked in the kernel ---------------------------------- */

/* Where a path is put together, from its end (the leaf) back to its start (the root). */
#define NAMES 8192

struct names {
	/* NAMES, and room past it for the verifier: a name is copied as `len` bytes at a place it cannot relate to `len`. */
	u8 buf[NAMES + IOANA_NAME_MAX + 1] __attribute__((aligned(8)));
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct names);
} names SEC(".maps");

struct walk {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	u32 pos; /* the path so far is names.buf[pos, NAMES) */
	u32 depth;
	u32 flags;
};

/*
 * One step up from w->dentry: `/name` is put in front of the path so far, or, at the
 * root of a mount, the walk goes on from the mount point in the parent mount, as the
 * kernel's d_path does. Ends at the task's root or the root of the mount tree. The path
 * is put together root first, so that ioana reads it as one string.
 */
static long walk_step(u32 i, struct walk *w)
{
	struct dentry *d = w->dentry;
	struct vfsmount *m = w->vfsmnt;
	if (d == w->root_dentry && m == w->root_mnt)
		return 1;
	struct dentry *mnt_root = BPF_CORE_READ(m, mnt_root);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if (d == mnt_root || d == parent) {
		if (d != mnt_root)
			return 1; /* the root of a tree no mount leads to */
		struct mount *mnt = (void *)m - bpf_core_field_offset(struct mount, mnt);
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
		if (up == mnt)
			return 1;
		w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->vfsmnt = (void *)up + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	struct names *nb = bpf_map_lookup_elem(&names, &zero);
	u32 pos = w->pos;
	u32 len = BPF_CORE_READ(d, d_name.len);
	opaque(pos);
	/* Longer than PATH_MAX (or a name longer than NAME_MAX): what is here is only its end. */
	if (!nb || len > IOANA_NAME_MAX || pos > NAMES || pos < NAMES - IOANA_PATH_MAX + IOANA_NAME_MAX + 1) {
		w->flags |= FI_INCOMPLETE;
		return 1;
	}
	pos -= len + 1;
	nb->buf[pos] = '/';
	if (len && bpf_probe_read_kernel(&nb->buf[pos + 1], len, BPF_CORE_READ(d, d_name.name))) {
		w->flags |= FI_INCOMPLETE;
		return 1;
	}
	w->pos = pos;
	w->depth++;
	w->dentry = parent;
	return 0;
}

/* What put_path writes about: a dentry and its mount, and the inode behind it. */
struct path_req {
	u64 dentry;
	u64 vfsmnt;
	u64 inode;
	s32 fd;
	u16 type;
	u16 flags;
};

/*
 * An F_FILE or F_CWD field at `off`: what the file is (inode, device, file system) and,
 * unless it is a pipe, socket or anonymous inode, the names from it up to the task's root.
 */
__noinline int put_path(struct scratch *s, u32 off, struct path_req *req)
{
	if (!s || !req)
		return off;
	if (off > SCRATCH - FIELD_ROOM) {
		((struct rec_head *)s->buf)->flags |= RF_OVERFLOW;
		return off;
	}
	struct dentry *dentry = (void *)req->dentry;
	struct inode *inode = (void *)req->inode;
	u16 flags = req->flags;
	struct file_info *info = (void *)&s->buf[off + 8];
	info->fd = req->fd;
	info->ino = BPF_CORE_READ(inode, i_ino);
	info->magic = BPF_CORE_READ(inode, i_sb, s_magic);
	info->mode = BPF_CORE_READ(inode, i_mode);
	info->rdev = 0;
	u16 kind = info->mode & S_IFMT;
	if (kind == S_IFCHR || kind == S_IFBLK) {
		info->rdev = BPF_CORE_READ(inode, i_rdev);
		flags |= FI_DEVICE;
	}
	/* The leaf: unlinked since (d_unlinked), and whether it has a name of its own (d_dname). */
	if (BPF_CORE_READ(dentry, d_parent) != dentry && !BPF_CORE_READ(dentry, d_hash.pprev))
		flags |= FI_DELETED;
	struct walk w = {};
	w.dentry = dentry;
	w.vfsmnt = (void *)req->vfsmnt;
	w.pos = NAMES;
	u32 at = off + 8 + sizeof(struct file_info);
	u32 len = 0;
	if (BPF_CORE_READ(dentry, d_op, d_dname)) {
		/* pipe:[ino], socket:[ino], anon_inode:[name]: the leaf's own name is enough. */
		flags |= FI_SPECIAL;
		long n = bpf_probe_read_kernel_str(&s->buf[at], IOANA_NAME_MAX + 1, BPF_CORE_READ(dentry, d_name.name));
		if (n > 0) {
			len = n - 1;
			w.depth = 1;
		}
	} else {
		struct task_struct *task = bpf_get_current_task_btf();
		w.root_dentry = BPF_CORE_READ(task, fs, root.dentry);
		w.root_mnt = BPF_CORE_READ(task, fs, root.mnt);
		long steps = bpf_loop(WALK_MAX, walk_step, &w, 0);
		if (steps >= WALK_MAX)
			w.flags |= FI_INCOMPLETE;
		struct names *nb = bpf_map_lookup_elem(&names, &zero);
		u32 pos = w.pos;
		opaque(pos);
		if (nb && pos < NAMES && pos >= NAMES - IOANA_PATH_MAX) {
			len = NAMES - pos;
			bpf_probe_read_kernel(&s->buf[at], len, &nb->buf[pos]);
		}
	}
	info->flags = flags | w.flags;
	info->depth = w.depth;
	return close_field(s, off, req->type, 0, sizeof(struct file_info) + len);
}

static __always_inline struct file *file_at(s32 fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (fd < 0 || (u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	struct file **files = BPF_CORE_READ(fdt, fd);
	struct file *f = 0;
	bpf_probe_read_kernel(&f, sizeof(f), &files[fd]);
	return f;
}

/* An F_FILE field: what descriptor `fd` of the current task refers to. */
__noinline int put_file(struct scratch *s, u32 off, s32 fd, u32 flags)
{
	if (!s || off > SCRATCH - FIELD_ROOM)
		return off;
	struct file *f = file_at(fd);
	if (!f) {
		struct file_info *info = (void *)&s->buf[off + 8];
		__builtin_memset(info, 0, sizeof(*info));
		info->fd = fd;
		info->flags = flags | FI_INCOMPLETE;
		return close_field(s, off, F_FILE, 0, sizeof(*info));
	}
	struct path_req req = {
		.dentry = (u64)BPF_CORE_READ(f, f_path.dentry),
		.vfsmnt = (u64)BPF_CORE_READ(f, f_path.mnt),
		.inode = (u64)BPF_CORE_READ(f, f_inode),
		.fd = fd,
		.type = F_FILE,
		.flags = flags,
	};
	return put_path(s, off, &req);
}

/* An F_CWD field: the current task's working directory. */
__noinline int put_cwd(struct scratch *s, u32 off)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct dentry *d = BPF_CORE_READ(task, fs, pwd.dentry);
	struct path_req req = {
		.dentry = (u64)d,
		.vfsmnt = (u64)BPF_CORE_READ(task, fs, pwd.mnt),
		.inode = (u64)BPF_CORE_READ(d, d_inode),
		.fd = -1,
		.type = F_CWD,
	};
	return put_path(s, off, &req);
}

/* An F_SOCKADDR field: the `len` bytes (at most 128) of the address at `addr`. */
__noinline int put_sockaddr(struct scratch *s, u32 off, u64 addr, u64 len)
{
	if (!s || !addr || off > SCRATCH - FIELD_ROOM)
		return off;
	if (len > 128)
		len = 128;
	if (bpf_probe_read_user(&s->buf[off + 8], len & 255, (void *)addr))
		return close_field(s, off, F_SOCKADDR, FA_FAILED, 0);
	return close_field(s, off, F_SOCKADDR, 0, len);
}

/* ---- byte counts ------------------------------------------------------------------ */

static __always_inline void count(u32 tgid, s64 fd, u64 n, int written)
{
	if (fd < 0 || fd > 0x7fffffff)
		return;
	/* Most reads and writes on the machine are not the build's: one lookup and out. */
	struct proc *p = bpf_map_lookup_elem(&followed, &tgid);
	if (!p)
		return;
	if (fd >= COUNTED_FDS) {
		__sync_fetch_and_add(written ? &p->over_written : &p->over_read, n);
		return;
	}
	struct fd_key key = { .tgid = tgid, .fd = fd };
	struct counts *c = bpf_map_lookup_elem(&counts, &key);
	if (!c) {
		struct counts none = {};
		if (bpf_map_update_elem(&counts, &key, &none, BPF_NOEXIST) && !bpf_map_lookup_elem(&counts, &key)) {
			__sync_fetch_and_add(&uncounted, 1);
			return;
		}
		__sync_fetch_and_or(&p->counted[(fd >> 6) & (COUNTED_WORDS - 1)], 1ULL << (fd & 63));
		c = bpf_map_lookup_elem(&counts, &key);
		if (!c)
			return;
	}
	__sync_fetch_and_add(written ? &c->written : &c->read, n);
}

/* Takes the counts of (tgid, fd) out of the table into `out`; 0 when it had none. */
static __always_inline int take(u32 tgid, struct proc *p, s32 fd, struct fd_bytes *out)
{
	struct fd_key key = { .tgid = tgid, .fd = fd };
	struct counts *c = bpf_map_lookup_elem(&counts, &key);
	if (!c)
		return 0;
	out->fd = fd;
	out->pad = 0;
	out->read = c->read;
	out->written = c->written;
	bpf_map_delete_elem(&counts, &key);
	if (p && fd >= 0 && fd < COUNTED_FDS)
		__sync_fetch_and_and(&p->counted[(fd >> 6) & (COUNTED_WORDS - 1)], ~(1ULL << (fd & 63)));
	return 1;
}

/* A BYTES field with the counts of one descriptor, when it has any. */
__noinline int put_bytes_of(struct scratch *s, u32 off, u32 tgid, s32 fd)
{
	if (!s || off > SCRATCH - FIELD_ROOM)
		return off;
	struct proc *p = bpf_map_lookup_elem(&followed, &tgid);
	if (!take(tgid, p, fd, (void *)&s->buf[off + 8]))
		return off;
	return close_field(s, off, F_BYTES, 0, sizeof(struct fd_bytes));
}

struct sweep {
	unsigned long *open_fds; /* NULL: every descriptor is closed (the process ended) */
	u32 max_fds;
	u32 tgid;
	u32 off;  /* where the next fd_bytes goes */
	u32 word; /* the word of the bitmap being swept */
	u64 bits; /* its closed counted descriptors */
};

/* One descriptor of the word being swept: its counts at sw->off when it is closed and counted. */
static long sweep_bit(u32 b, struct sweep *sw)
{
	u64 bits = sw->bits;
	if (!bits)
		return 1;
	if (!((bits >> (b & 63)) & 1))
		return 0;
	struct scratch *s = buffer();
	u32 off = sw->off;
	if (!s || off > SCRATCH - 64)
		return 1;
	struct proc *p = bpf_map_lookup_elem(&followed, &sw->tgid);
	if (take(sw->tgid, p, sw->word * 64 + b, (void *)&s->buf[off]))
		sw->off = off + sizeof(struct fd_bytes);
	sw->bits = bits & ~(1ULL << (b & 63));
	return 0;
}

/* The counted descriptors of one word of the bitmap that are closed now. */
static long sweep_word(u32 w, struct sweep *sw)
{
	if (w >= COUNTED_WORDS)
		return 1;
	struct proc *p = bpf_map_lookup_elem(&followed, &sw->tgid);
	if (!p)
		return 1;
	u64 counted = p->counted[w];
	if (!counted)
		return 0;
	u64 open = 0;
	if (sw->open_fds && w * 64 < sw->max_fds)
		bpf_probe_read_kernel(&open, sizeof(open), &sw->open_fds[w]);
	sw->word = w;
	sw->bits = counted & ~open;
	bpf_loop(64, sweep_bit, sw, 0);
	return 0;
}

/*
 * A BYTES field with the counts of the descriptors of `tgid` closed since they were
 * counted (every one when `ended`): exec's close-on-exec, close_range, the process's end.
 */
__noinline int put_sweep(struct scratch *s, u32 off, u32 tgid, u32 ended)
{
	if (!s || off > SCRATCH - FIELD_ROOM - COUNTED_FDS * sizeof(struct fd_bytes) - 64)
		return off;
	struct proc *p = bpf_map_lookup_elem(&followed, &tgid);
	if (!p)
		return off;
	struct sweep sw = { .tgid = tgid, .off = off + 8 };
	if (!ended) {
		struct task_struct *task = bpf_get_current_task_btf();
		struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
		sw.open_fds = BPF_CORE_READ(fdt, open_fds);
		sw.max_fds = BPF_CORE_READ(fdt, max_fds);
	}
	bpf_loop(COUNTED_WORDS, sweep_word, &sw, 0);
	u32 at = sw.off;
	if (ended && (p->over_read || p->over_written) && at <= SCRATCH - 64) {
		struct fd_bytes *o = (void *)&s->buf[at];
		o->fd = -1;
		o->pad = 0;
		o->read = p->over_read;
		o->written = p->over_written;
		sw.off = at + sizeof(*o);
	}
	if (sw.off <= off + 8 || sw.off > SCRATCH - 16)
		return off;
	return close_field(s, off, F_BYTES, 0, sw.off - (off + 8));
}

/* ---- system calls ------------------------------------------------------------------ */

static __always_inline u32 call_fields(struct scratch *s, u32 off, struct pt_regs *regs, u64 kind, long ret, u32 tgid)
{
	u64 args[6] = { regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9 };
	if (ret >= 0 || !has(kind, K_LEAN)) {
		for (u32 k = 0; k < 6; k++)
			if (has(kind, 1ULL << k))
				off = put_str(s, off, F_STR << 16 | k, args[k], 0);
	}
	u32 a = K_SLOT_OF(kind, 20);
	if (has(kind, K_SOCKADDR)) {
		/* connect, bind, sendmsg: argument 1 (and 2); sendto: 4 (and 5). */
		u64 addr = a == 4 ? args[4] : args[1];
		u64 len = a == 4 ? args[5] : args[2];
		if (has(kind, K_MSGHDR)) {
			u64 msg = addr;
			u32 namelen = 0;
			addr = 0;
			if (msg) {
				bpf_probe_read_user(&addr, sizeof(addr), (void *)msg);
				bpf_probe_read_user(&namelen, sizeof(namelen), (void *)(msg + 8));
			}
			len = namelen;
		}
		off = put_sockaddr(s, off, addr, len);
	}
	if (ret < 0)
		return off;
	if (has(kind, K_FILE))
		off = put_file(s, off, ret, 0);
	if (has(kind, K_CWD))
		off = put_cwd(s, off);
	if (has(kind, K_HOW) && off <= SCRATCH - FIELD_ROOM) {
		u64 *how = (void *)&s->buf[off + 8];
		*how = 0;
		bpf_probe_read_user(how, sizeof(*how), (void *)args[2]);
		off = close_field(s, off, F_HOW, 0, sizeof(*how));
	}
	if (has(kind, K_FDS) && off <= SCRATCH - FIELD_ROOM) {
		s32 *fds = (void *)&s->buf[off + 8];
		u64 at = a == 3 ? args[3] : args[0];
		fds[0] = -1;
		fds[1] = -1;
		if (bpf_probe_read_user(fds, 8, (void *)at))
			off = close_field(s, off, F_FDS, FA_FAILED, 0);
		else {
			s32 fa = fds[0], fb = fds[1];
			off = close_field(s, off, F_FDS, 0, 8);
			off = put_file(s, off, fa, 0);
			off = put_file(s, off, fb, FI_SECOND);
		}
	}
	if (has(kind, K_CLOSE))
		off = put_bytes_of(s, off, tgid, args[0]);
	if (has(kind, K_DUP))
		off = put_bytes_of(s, off, tgid, ret);
	if (has(kind, K_SWEEP))
		off = put_sweep(s, off, tgid, 0);
	return off;
}

/* The body of a CALL (or EXEC_ARGS) record: the call's number, result and arguments. */
static __always_inline void call_head(struct scratch *s, struct pt_regs *regs, u32 nr, long ret)
{
	struct rec_call *r = (void *)s->buf;
	r->nr = nr;
	r->nfields = 0;
	r->ret = ret;
	r->args[0] = regs->di;
	r->args[1] = regs->si;
	r->args[2] = regs->dx;
	r->args[3] = regs->r10;
	r->args[4] = regs->r8;
	r->args[5] = regs->r9;
}

static __always_inline void record_call(struct pt_regs *regs, u32 nr, long ret, u64 kind, u32 tid, u32 tgid)
{
	struct scratch *s = buffer();
	if (!s)
		return;
	head(s, REC_CALL, tid, tgid);
	call_head(s, regs, nr, ret);
	struct rec_call *r = (void *)s->buf;
	u64 cs = 0;
	bpf_probe_read_kernel(&cs, 2, &regs->cs);
	u32 off = sizeof(*r);
	if (cs == USER32_CS)
		r->h.flags |= RF_COMPAT; /* its number and arguments mean something else */
	else
		off = call_fields(s, off, regs, kind, ret, tgid);
	emit(s, off, BPF_RB_NO_WAKEUP);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	u64 nr = regs->orig_ax;
	if (nr >= IOANA_NR_CALLS)
		return 0;
	u64 kind = call_kind[nr & (IOANA_NR_CALLS - 1)];
	if (!kind)
		return 0;
	u64 id = bpf_get_current_pid_tgid();
	u32 tgid = id >> 32;
	if (ret > 0) {
		u32 rk = K_SLOT_OF(kind, 24), wk = K_SLOT_OF(kind, 28);
		if (rk != K_NONE)
			count(tgid, (s32)arg_of(regs, rk), ret, 0);
		if (wk != K_NONE)
			count(tgid, (s32)arg_of(regs, wk), ret, 1);
	}
	if (!(kind & K_RECORD))
		return 0;
	/* A successful execve is the EXEC record (sched_process_exec, below). */
	if (kind & K_EXEC && ret == 0)
		return 0;
	if (!bpf_map_lookup_elem(&followed, &tgid))
		return 0;
	record_call(regs, nr, ret, kind, (u32)id, tgid);
	return 0;
}

/* ---- execve's arguments, read at its entry (gone at its exit) ---------------------- */

struct argv_walk {
	u64 argv;
	u32 off;
	u32 tid;
	u32 tgid;
	u32 done;
};

static long argv_step(u32 i, struct argv_walk *a)
{
	struct scratch *s = buffer();
	if (!s)
		return 1;
	u64 ptr = 0;
	if (bpf_probe_read_user(&ptr, sizeof(ptr), (void *)(a->argv + (u64)i * 8))) {
		a->off = close_field(s, a->off, F_ARG, FA_FAILED, 0);
		a->done = 1;
		return 1;
	}
	if (!ptr) {
		a->done = 1;
		return 1;
	}
	u32 off = a->off;
	if (off > SCRATCH - FIELD_ROOM - IOANA_ARG_MAX) {
		/* This record is full: out it goes, and the arguments go on in the next one. */
		((struct rec_head *)s->buf)->flags |= RF_CONTINUED;
		emit(s, off, BPF_RB_NO_WAKEUP);
		head(s, REC_EXEC_ARGS, a->tid, a->tgid);
		off = sizeof(struct rec_call);
	}
	a->off = put_str(s, off, F_ARG << 16, ptr, 1);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	if (id < 0 || id >= IOANA_NR_CALLS)
		return 0;
	u64 kind = call_kind[id & (IOANA_NR_CALLS - 1)];
	if (!(kind & (K_EXEC | K_AT_ENTRY)))
		return 0;
	u64 pid_tgid = bpf_get_current_pid_tgid();
	u32 tgid = pid_tgid >> 32;
	if (!bpf_map_lookup_elem(&followed, &tgid) && !(kind & K_EXEC && follow_containers && bpf_map_lookup_elem(&waiting, &tgid)))
		return 0;
	struct scratch *s = buffer();
	if (!s)
		return 0;
	if (kind & K_AT_ENTRY) {
		/* exit_group: its arguments say it all (no field to read). */
		head(s, REC_CALL, (u32)pid_tgid, tgid);
		call_head(s, regs, id, 0);
		emit(s, sizeof(struct rec_call), BPF_RB_NO_WAKEUP);
		return 0;
	}
	head(s, REC_EXEC_ARGS, (u32)pid_tgid, tgid);
	call_head(s, regs, id, 0);
	u64 path = kind & K_EXEC_AT ? regs->si : regs->di;
	struct argv_walk a = { .argv = kind & K_EXEC_AT ? regs->dx : regs->si, .tid = (u32)pid_tgid, .tgid = tgid };
	a.off = put_str(s, sizeof(struct rec_call), F_PATH << 16, path, 0);
	if (a.argv)
		bpf_loop(IOANA_ARGS_MAX, argv_step, &a, 0);
	else
		a.done = 1;
	if (!a.done)
		((struct rec_head *)s->buf)->flags |= RF_MORE_ARGS;
	emit(s, a.off, BPF_RB_NO_WAKEUP);
	return 0;
}

/* ---- the process tree ---------------------------------------------------------------- */

/* A container runtime's task: runc's stages are `runc:[1:CHILD]`…, crun's `crun`. */
static int runtime_task(struct task_struct *t)
{
	char comm[5] = {};
	BPF_CORE_READ_STR_INTO(&comm, t, comm);
	return (comm[0] == 'r' && comm[1] == 'u' && comm[2] == 'n' && comm[3] == 'c') ||
	       (comm[0] == 'c' && comm[1] == 'r' && comm[2] == 'u' && comm[3] == 'n');
}

/*
 * A runtime made the first process of a new PID namespace below its own: a new container's
 * first process (pid 1 there). One it makes in a namespace that has a pid 1 already is a
 * `docker exec` (a health check of a service container, say): not a container the build started.
 */
static void wait_for_container(struct task_struct *parent, struct task_struct *child)
{
	if (BPF_CORE_READ(child, tgid) != BPF_CORE_READ(child, pid))
		return; /* a thread */
	struct pid *cpid = BPF_CORE_READ(child, thread_pid);
	u32 level = BPF_CORE_READ(cpid, level);
	if (level <= BPF_CORE_READ(parent, thread_pid, level) || level > 32 || !runtime_task(parent))
		return;
	int nr = 0;
	u64 at = (u64)cpid + bpf_core_field_offset(struct pid, numbers) + (u64)level * sizeof(struct upid);
	if (bpf_probe_read_kernel(&nr, sizeof(nr), (void *)at) || nr != 1)
		return;
	u32 ctgid = BPF_CORE_READ(child, tgid), one = 1;
	bpf_map_update_elem(&waiting, &ctgid, &one, BPF_ANY);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	u32 ptgid = BPF_CORE_READ(parent, tgid);
	struct proc *pp = bpf_map_lookup_elem(&followed, &ptgid);
	if (!pp) {
		if (follow_containers)
			wait_for_container(parent, child);
		return 0;
	}
	u64 adopted = pp->adopted;
	u32 ctgid = BPF_CORE_READ(child, tgid);
	u32 share = 0;
	if (ctgid == ptgid)
		share |= SH_THREAD;
	if (BPF_CORE_READ(child, files) == BPF_CORE_READ(parent, files))
		share |= SH_FILES;
	if (BPF_CORE_READ(child, fs) == BPF_CORE_READ(parent, fs))
		share |= SH_FS;
	if (!(share & SH_THREAD)) {
		/* An entry left by a process of that pid whose end was missed is not a group alive. */
		int stale = bpf_map_lookup_elem(&followed, &ctgid) != 0;
		struct proc none = { .adopted = adopted };
		if (bpf_map_update_elem(&followed, &ctgid, &none, BPF_ANY)) {
			__sync_fetch_and_add(&unfollowed, 1);
			return 0;
		}
		if (!stale && !adopted)
			__sync_fetch_and_add(&live_groups, 1);
	}
	struct scratch *s = buffer();
	if (!s)
		return 0;
	head(s, REC_FORK, BPF_CORE_READ(parent, pid), ptgid);
	struct rec_fork *f = (void *)s->buf;
	f->child = BPF_CORE_READ(child, pid);
	f->child_tgid = ctgid;
	f->exit_signal = BPF_CORE_READ(child, exit_signal);
	f->pad = 0;
	/* The call that made it, from the parent's registers (kernel threads have none that matter). */
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(parent);
	long nr = regs->orig_ax;
	u64 flags = 0;
	if (nr == NR_CLONE)
		flags = regs->di;
	else if (nr == NR_CLONE3)
		bpf_probe_read_user(&flags, sizeof(flags), (void *)regs->di);
	else if (nr == NR_FORK)
		flags = SIGCHLD;
	else if (nr == NR_VFORK)
		flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
	else
		nr = -1;
	if (flags & CLONE_VFORK)
		share |= SH_VFORK;
	f->nr = nr;
	f->flags = flags;
	f->share = share;
	emit(s, sizeof(*f), BPF_RB_NO_WAKEUP);
	return 0;
}

/* A waiting container process execs its command: followed from here on (an ADOPT record, with its working directory). */
static int adopt(u32 tgid, u32 pid)
{
	if (!bpf_map_lookup_elem(&waiting, &tgid))
		return 0;
	bpf_map_delete_elem(&waiting, &tgid);
	struct proc mine = { .adopted = 1 };
	if (bpf_map_update_elem(&followed, &tgid, &mine, BPF_NOEXIST)) {
		__sync_fetch_and_add(&unfollowed, 1);
		return 0;
	}
	struct scratch *s = buffer();
	if (!s)
		return 0;
	head(s, REC_ADOPT, pid, tgid);
	emit(s, put_cwd(s, sizeof(struct rec_head)), BPF_RB_NO_WAKEUP);
	return 1;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
	u32 tgid = BPF_CORE_READ(p, tgid);
	u32 pid = BPF_CORE_READ(p, pid);
	if (!bpf_map_lookup_elem(&followed, &tgid) && !(follow_containers && adopt(tgid, pid)))
		return 0;
	struct scratch *s = buffer();
	if (!s)
		return 0;
	head(s, REC_EXEC, pid, tgid);
	struct rec_exec *e = (void *)s->buf;
	e->old_tid = old_pid;
	e->pad = 0;
	emit(s, sizeof(*e), BPF_RB_NO_WAKEUP);
	/* Close-on-exec descriptors are closed by now: their counts, if any. */
	head(s, REC_BYTES, pid, tgid);
	u32 off = put_sweep(s, sizeof(struct rec_head), tgid, 0);
	if (off > sizeof(struct rec_head))
		emit(s, off, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p)
{
	u32 tgid = BPF_CORE_READ(p, tgid);
	struct proc *me = bpf_map_lookup_elem(&followed, &tgid);
	if (!me) {
		if (follow_containers && BPF_CORE_READ(p, signal, live.counter) == 0)
			bpf_map_delete_elem(&waiting, &tgid);
		return 0;
	}
	u64 adopted = me->adopted;
	struct scratch *s = buffer();
	if (!s)
		return 0;
	/* Its group's live count is taken down before this tracepoint: 0 means the last thread. */
	int group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;
	u32 pid = BPF_CORE_READ(p, pid);
	head(s, REC_EXIT, pid, tgid);
	struct rec_exit *x = (void *)s->buf;
	x->code = BPF_CORE_READ(p, exit_code);
	x->group_dead = group_dead;
	u32 off = sizeof(*x);
	if (group_dead)
		off = put_sweep(s, off, tgid, 1);
	emit(s, off, BPF_RB_NO_WAKEUP);
	/* Two threads ending at once may both see 0: only the one that takes the group out counts it. */
	if (group_dead && !bpf_map_delete_elem(&followed, &tgid) && !adopted && __sync_sub_and_fetch(&live_groups, 1) == 0) {
		head(s, REC_DONE, pid, tgid);
		emit(s, sizeof(struct rec_head), BPF_RB_FORCE_WAKEUP);
	}
	return 0;
}
