/* SPDX-License-Identifier: MIT */
/* FsOps on the real file system: what the tracer uses for every guest path,
 * and what the real-tree unit test checks against the kernel. */

#include "path/path.h"

static int hostfs_lstat(void *ctx, const char *host_path, struct stat *st)
{
	int r = lstat(host_path, st);

	(void)ctx;
	/* NEG_ERRNO evaluates its argument twice: never give it the call. */
	return NEG_ERRNO(r);
}

static ssize_t hostfs_readlink(void *ctx, const char *host_path, char *buf, size_t bufsz)
{
	ssize_t r = readlink(host_path, buf, bufsz);

	(void)ctx;
	return NEG_ERRNO(r);
}

const FsOps fsops_host = {
	.lstat = hostfs_lstat,
	.readlink = hostfs_readlink,
	.magic = NULL,
	.ctx = NULL,
};
