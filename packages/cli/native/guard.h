/* The deadline over a call that cannot be polled: a name lookup, or a stat() on a file system
 * that hangs (a dead NFS mount). A timer signal jumps back out when the deadline passes:
 *
 *   if (sigsetjmp(hs_guard, 1)) return fail(F_TIMEOUT, ...);
 *   guard_arm(deadline); ... the call ... guard_disarm();
 *
 * What the abandoned call held (a descriptor at most) is left to the process's exit. */
#ifndef HS_GUARD_H
#define HS_GUARD_H

#include <setjmp.h>

extern sigjmp_buf hs_guard;

void guard_arm(double deadline);
void guard_disarm(void);

#endif
