/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * The records of ioana's eBPF collector: what the kernel side (ioana.bpf.c) writes into
 * its ring buffer, what the loader (loader.c) passes on, unchanged, to ioana on its
 * standard output, and what src/trace/ebpf/wire.ts reads. Little-endian, every record
 * and every field a multiple of 8 bytes long.
 *
 *   record  = head, body, fields
 *   head    = u32 size (all of it), u16 type, u16 flags, u32 tid, u32 tgid
 *   field   = u16 type, u16 aux, u32 len, len bytes, zeros up to a multiple of 8
 *
 * Change a number here and in wire.ts together (test/trace/ebpf-wire.test.ts reads this
 * file and checks that they agree).
 */
#ifndef IOANA_RECORD_H
#define IOANA_RECORD_H

#define IOANA_WIRE_VERSION 2

/* Record types. */
#define REC_CALL 1       /* a traced call returned: struct rec_call, then fields */
#define REC_EXEC_ARGS 2  /* execve's path and arguments, read at its entry: struct rec_call, then fields */
#define REC_EXEC 3       /* an execve succeeded (tid: the pid it runs as now): struct rec_exec */
#define REC_FORK 4       /* a followed thread made a thread or a process: struct rec_fork */
#define REC_EXIT 5       /* a followed thread ended: struct rec_exit, then a BYTES field */
#define REC_BYTES 6      /* byte counts of descriptors closed without close(): a BYTES field */
#define REC_DONE 7       /* the last followed process ended */
#define REC_ADOPT 8      /* a container's first process, about to exec its command, is followed: an F_CWD field */
#define REC_READY 16     /* loader: every program is attached: struct rec_ready */
#define REC_FOLLOWING 17 /* loader: the command's process is followed */
#define REC_END 18       /* loader: the last record: struct rec_end */

/* Head flags. */
#define RF_MORE_ARGS 1 /* EXEC_ARGS: more arguments than were read (strace writes "...") */
#define RF_CONTINUED 2 /* EXEC_ARGS: more arguments follow in the next EXEC_ARGS of this thread */
#define RF_COMPAT 4    /* CALL: a 32-bit system call (its number is not x86-64's) */
#define RF_OVERFLOW 8  /* a field did not fit in the record and is missing */

/* Field types. */
#define F_STR 1      /* a string argument read at exit; aux: slot | FA_* */
#define F_FILE 2     /* what a descriptor the call made refers to: struct file_info, then its path */
#define F_CWD 3      /* the working directory after chdir/fchdir: struct file_info, then its path */
#define F_SOCKADDR 4 /* the socket address the call names, as the process gave it; aux: FA_* */
#define F_FDS 5      /* the two descriptors pipe/socketpair wrote: s32[2] */
#define F_HOW 6      /* openat2's open_how.flags: u64 */
#define F_BYTES 7    /* struct fd_bytes[] */
#define F_ARG 8      /* EXEC_ARGS: one argument; aux: FA_* */
#define F_PATH 9     /* EXEC_ARGS: the program's path as given; aux: FA_* */

/* Field aux bits. */
#define FA_SLOT 0x00ff
#define FA_FAILED 0x0100 /* the string could not be read (the bytes are empty) */
#define FA_CUT 0x0200    /* longer than was read: only its beginning is here */

/* file_info.flags. */
#define FI_DELETED 1    /* unlinked since it was opened (strace: " (deleted)") */
#define FI_SPECIAL 2    /* a pipe, a socket or an anonymous inode: no path, see magic */
#define FI_INCOMPLETE 4 /* the walk to the root did not finish (too deep, too long, unreadable) */
#define FI_DEVICE 8     /* a character or block device: mode and rdev say which */
#define FI_SECOND 16    /* the second of two (pipe's write end, socketpair's other end) */

#define IOANA_PATH_MAX 4096
#define IOANA_NAME_MAX 255
/* Longest execve argument read: strace -s 4096 keeps 4096 bytes and says when there were more. */
#define IOANA_ARG_MAX 4097
/* Most execve arguments read: strace -s 4096 prints at most 4096 of them. */
#define IOANA_ARGS_MAX 4096

/*
 * What the kernel side does for one system call (the loader's NR=KIND arguments, made by
 * src/trace/ebpf/calls.ts from the one syscall table). A call with kind 0 is not looked at.
 */
#define K_STRINGS 0x3fULL         /* bit k: argument k is a string, read at the call's exit */
#define K_RECORD (1ULL << 6)      /* write a CALL record at the call's exit */
#define K_EXEC (1ULL << 7)        /* execve/execveat: its path and arguments at entry (EXEC_ARGS) */
#define K_EXEC_AT (1ULL << 8)     /* ... path in argument 1 and argv in 2 (else 0 and 1) */
#define K_SOCKADDR (1ULL << 9)    /* a socket address in argument A, its length in A + 1 */
#define K_MSGHDR (1ULL << 10)     /* ... argument A is a struct msghdr (msg_name, msg_namelen) */
#define K_FDS (1ULL << 11)        /* argument A points at the two descriptors the call wrote */
#define K_FILE (1ULL << 12)       /* the result is a new descriptor: what it refers to (F_FILE) */
#define K_CWD (1ULL << 13)        /* the working directory changed: F_CWD */
#define K_HOW (1ULL << 14)        /* openat2: F_HOW from argument 2 */
#define K_CLOSE (1ULL << 15)      /* argument 0 is closed: its byte counts go with the record */
#define K_DUP (1ULL << 16)        /* the result replaced a descriptor: its byte counts go along */
#define K_SWEEP (1ULL << 17)      /* descriptors may have closed (close_range): their counts go along */
#define K_LEAN (1ULL << 18)       /* a failed call is only counted: no strings for it */
#define K_AT_ENTRY (1ULL << 19)   /* the call does not return (exit_group): its CALL record is written at entry */
#define K_SLOT_A(k) ((unsigned long long)(k) << 20) /* bits 20-22: A */
#define K_READS(k) ((unsigned long long)(k) << 24)  /* bits 24-26: ret bytes read from argument k (7: none) */
#define K_WRITES(k) ((unsigned long long)(k) << 28) /* bits 28-30: ret bytes written to argument k (7: none) */
#define K_NONE 7
#define K_SLOT_OF(kind, shift) ((unsigned int)(((kind) >> (shift)) & 7))

/* Most system call numbers (x86-64 has about 460). */
#define IOANA_NR_CALLS 512

struct rec_head {
	unsigned int size;
	unsigned short type;
	unsigned short flags;
	unsigned int tid;
	unsigned int tgid;
};

struct rec_call {
	struct rec_head h;
	int nr;
	unsigned int nfields;
	long long ret;
	unsigned long long args[6];
};

struct rec_exec {
	struct rec_head h;
	unsigned int old_tid;
	unsigned int pad;
};

/* share bits of rec_fork. */
#define SH_THREAD 1
#define SH_FILES 2
#define SH_FS 4
#define SH_VFORK 8

struct rec_fork {
	struct rec_head h;
	unsigned int child;
	unsigned int child_tgid;
	int nr;             /* the call that made it (clone, clone3, fork, vfork), -1 when unknown */
	unsigned int share; /* SH_*: what the child shares with its parent, read from the tasks */
	unsigned long long flags; /* the clone flags the call gave (clone3: its struct's) */
	unsigned int exit_signal;
	unsigned int pad;
};

struct rec_exit {
	struct rec_head h;
	int code;       /* the kernel's exit code: status << 8, or the signal (| 0x80 core) */
	unsigned int group_dead;
};

struct rec_ready {
	struct rec_head h;
	unsigned int version;
	unsigned int ring_bytes;
};

struct rec_end {
	struct rec_head h;
	unsigned long long lost;       /* records the ring buffer had no room for */
	unsigned long long missed;     /* program runs the kernel skipped (recursion) */
	unsigned long long unfollowed; /* processes the table of followed processes had no room for */
	unsigned long long uncounted;  /* byte counts the table of counts had no room for */
	unsigned long long alive;      /* followed processes still running */
	unsigned long long records;    /* records passed on */
};

struct field_head {
	unsigned short type;
	unsigned short aux;
	unsigned int len;
};

struct file_info {
	unsigned long long ino;
	unsigned long long magic; /* the file system's s_magic */
	unsigned int rdev;        /* kernel dev_t: major << 20 | minor */
	unsigned short mode;      /* i_mode */
	unsigned short flags;     /* FI_* */
	int fd;
	unsigned int depth; /* the names in the path that follows (`/a/b`: 2; none: `/`, or all of a special's name) */
};

struct fd_bytes {
	int fd; /* -1: descriptors above the counted range, together */
	unsigned int pad;
	unsigned long long read;
	unsigned long long written;
};

#endif
