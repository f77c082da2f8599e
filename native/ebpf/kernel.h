/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * The few kernel types ioana.bpf.c reads, with only the fields it reads. CO-RE: each is
 * marked preserve_access_index, so the compiler records every field access by name and
 * libbpf moves it to where the running kernel's BTF (/sys/kernel/btf/vmlinux) says the
 * field is. Nothing here is an offset of one kernel; a field a kernel moved into an
 * anonymous union (dentry.d_name, file.f_path in 6.x) is found by its name all the same.
 *
 * Written out by hand instead of a generated vmlinux.h (2.8 MB from one kernel): the
 * build reads no kernel of the machine that builds, and the binary is the same wherever
 * it is built.
 */
#ifndef IOANA_KERNEL_H
#define IOANA_KERNEL_H

#define CORE __attribute__((preserve_access_index))

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;

struct pt_regs {
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long ax;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
	unsigned long orig_ax;
	unsigned long cs;
} CORE;

struct qstr {
	u32 len;
	const unsigned char *name;
} CORE;

struct hlist_bl_node {
	struct hlist_bl_node *next;
	struct hlist_bl_node **pprev;
} CORE;

struct super_block {
	u32 s_dev;
	unsigned long s_magic;
} CORE;

struct inode {
	unsigned short i_mode;
	u32 i_rdev;
	unsigned long i_ino;
	struct super_block *i_sb;
} CORE;

struct dentry_operations {
	void *d_dname;
} CORE;

struct dentry {
	struct hlist_bl_node d_hash;
	struct dentry *d_parent;
	struct qstr d_name;
	struct inode *d_inode;
	const struct dentry_operations *d_op;
} CORE;

struct vfsmount {
	struct dentry *mnt_root;
} CORE;

struct mount {
	struct mount *mnt_parent;
	struct dentry *mnt_mountpoint;
	struct vfsmount mnt;
} CORE;

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
} CORE;

struct file {
	struct inode *f_inode;
	struct path f_path;
} CORE;

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
	unsigned long *open_fds;
} CORE;

struct files_struct {
	struct fdtable *fdt;
} CORE;

struct fs_struct {
	struct path root;
	struct path pwd;
} CORE;

typedef struct {
	int counter;
} atomic_t;

struct signal_struct {
	atomic_t live;
} CORE;

/* A pid: `level` is how deep its PID namespace is (0: the first one); numbers[level].nr its number there. */
struct upid {
	int nr;
	void *ns;
};

struct pid {
	unsigned int level;
	struct upid numbers[1];
} CORE;

struct task_struct {
	int pid;
	int tgid;
	int exit_code;
	int exit_signal;
	void *vfork_done;
	struct files_struct *files;
	struct fs_struct *fs;
	struct signal_struct *signal;
	struct pid *thread_pid;
	char comm[16];
} CORE;

struct linux_binprm;

#endif
