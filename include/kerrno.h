/* SPDX-License-Identifier: MIT */
/* Error codes, with Linux's numbers, returned negated (-EINVAL). */
#ifndef QUIESCE_KERRNO_H
#define QUIESCE_KERRNO_H

#ifndef EPERM
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define E2BIG		7
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENAMETOOLONG	36
#define ENOSYS		38
#define EOVERFLOW	75
#define ETIMEDOUT	110
#endif
/* -ECHILD from d_revalidate: "cannot do this under RCU, retry in ref-walk". */
#ifndef ECHILD
#define ECHILD		10
#endif

#endif
