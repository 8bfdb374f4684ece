#ifndef INCIDENT_WIZARD_CSUPPORT_H
#define INCIDENT_WIZARD_CSUPPORT_H

// Process-wide state the wizard's Swift modules share, defined once in this target's C files.
// Nothing here is `static`: a header that defines state is compiled into every module that
// imports it, and each module then reads its own copy (the release build had three copies of the
// signal flag, so the handler wrote one and the interface loop read another).

#include <sys/types.h>

// MARK: Signals (signals.c)

/// Installs handlers for SIGTERM, SIGHUP, SIGINT and SIGQUIT that only record which signal came
/// (the full-screen loop, which wakes at least every quarter second, suspends the session and
/// restores the terminal: endwin() is not async-signal-safe), and unblocks them and SIGWINCH.
void iw_install_signal_handlers(void);
/// The last signal recorded, or 0.
int iw_pending_signal(void);

/// Plain mode: SIGTERM, SIGHUP, SIGINT and SIGQUIT end every running command's process group,
/// then the wizard, with the signal's default action.
void iw_install_plain_exit_handlers(void);

/// A last safety net: whatever path exits the process, curses is ended and the terminal restored.
void iw_mark_curses_active(int active);

// MARK: Commands (spawn.c)

/// Starts `path` with `argv` and the current environment in a process group of its own (its pid),
/// with stdin from /dev/null, stdout and stderr on `output_fd`, every other descriptor closed,
/// default signal dispositions and an empty signal mask, in `directory` when it is not NULL.
/// The group is registered so that the wizard's own exit ends it (iw_end_registered_groups).
/// Returns the pid, or -errno when it could not be started (the program's exec failed included).
pid_t iw_spawn(const char *path, char *const argv[], int output_fd, const char *directory);

/// Forgets a group that has been ended and reaped.
void iw_unregister_group(pid_t group);

/// Sends `signal_number` to every registered group (async-signal-safe).
void iw_signal_registered_groups(int signal_number);

/// Makes the wizard the reaper of its orphaned descendants (a scanner that daemonises is
/// reparented to it, not to init, so it can still be found and ended). Idempotent.
void iw_become_subreaper(void);

/// The file system type of `path` (statfs's f_type), or 0 when it cannot be read.
unsigned long iw_filesystem_type(const char *path);

// MARK: Sockets (socket.c)

/// Sends one byte with `descriptor` attached (SCM_RIGHTS) on the Unix socket `socket_fd`, as
/// clamd's FILDES command expects; never raises SIGPIPE. Returns what sendmsg returns.
ssize_t iw_send_descriptor(int socket_fd, int descriptor);

#endif
