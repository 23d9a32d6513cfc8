/* SPDX-License-Identifier: MIT */
/* AF_UNIX socket addresses in guest memory: the pure pieces of the socket
 * handlers (sock.c), kept here so that they can be unit-tested. Guest msghdr
 * and mmsghdr are decoded and encoded per ABI from raw bytes, never through
 * the host's struct. */
#pragma once

#include "syscall/ctx.h"

/* Longest sun_path the kernel takes (it may lack its NUL). */
#define SOCK_SUN_PATH_MAX 108
/* sizeof(struct sockaddr_un): the largest AF_UNIX address length. */
#define SOCK_UN_LEN_MAX (2 + SOCK_SUN_PATH_MAX)
/* sizeof(struct sockaddr_storage): the kernel's limit for any address. */
#define SOCK_STORAGE_LEN 128
/* Largest vector sendmmsg takes (UIO_MAXIOV); recvmmsg is capped the same. */
#define SOCK_VLEN_MAX 1024

/* A guest struct msghdr, ABI-neutral. */
typedef struct GuestMsghdr {
	uint64_t name;
	int32_t namelen;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	int32_t flags;
} GuestMsghdr;

/* sizeof(struct msghdr) and sizeof(struct mmsghdr) in ABI: 56/64 on x86_64,
 * 28/32 on i386. msg_len follows the msghdr in a mmsghdr. */
size_t sock_msghdr_size(Abi abi);
size_t sock_mmsghdr_size(Abi abi);
void sock_msghdr_decode(Abi abi, const void *raw, GuestMsghdr *m);
/* Store M's fields into RAW; padding bytes are left as they were. */
void sock_msghdr_encode(Abi abi, const GuestMsghdr *m, void *raw);
uint32_t sock_mmsg_len_get(Abi abi, const void *raw);
void sock_mmsg_len_set(Abi abi, void *raw, uint32_t len);

/* When ADDR (LEN bytes, LEN as the kernel got it) is an AF_UNIX address
 * with a pathname, copy the path (up to its first NUL within LEN) into
 * PATH, NUL-terminated, and return its length (> 0). Return 0 for anything
 * else: another family, LEN too short (unnamed) or longer than a
 * sockaddr_un (the kernel's EINVAL), an abstract name (sun_path[0] == 0). */
size_t sock_un_path(const void *addr, size_t len, char path[SOCK_SUN_PATH_MAX + 1]);

/* Build an AF_UNIX address for PATH in OUT (OUTSZ bytes) and return its
 * length as the kernel reports it for a bound path: 2 + strlen + 1. When
 * the NUL does not fit in OUTSZ (a 108-byte path in a sockaddr_un), the
 * address is OUTSZ bytes without it: the kernel accepts that as input.
 * -ENAMETOOLONG if PATH itself does not fit. */
int sock_un_make(const char *path, void *out, size_t outsz);

/* Split HOST at its final component: *NAME points into HOST at that
 * component (trailing slashes included), PARENT gets the directory ("/"
 * for "/x"). -EINVAL when there is no final component ("/", ""). */
int sock_split_parent(const char *host, char *parent, size_t parentsz, const char **name);

/* Parse "/proc/PID/fd/N/REST" for the given PID: return N (>= 0) and set
 * *REST to REST (non-empty), or -1. */
int sock_parse_fd_path(const char *path, pid_t pid, const char **rest);

/* Number of unsigned-long arguments socketcall(CALL, args) reads, 0 for an
 * unknown CALL. */
int sock_socketcall_nargs(long call);

/* sendmmsg's exit hook: the kernel wrote each msg_len into our copy of the
 * vector; give them to the guest's vector. */
void h_exit_sendmmsg(SysCtx *c);
