#define _GNU_SOURCE
#include "iw_support.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

// The running commands' process groups, for the wizard's own exit (atexit, and the plain-mode
// signal handlers). A few slots: commands run one at a time.
#define GROUP_SLOTS 16
static volatile sig_atomic_t groups[GROUP_SLOTS];
static int exit_handler_registered = 0;

static void end_groups_at_exit(void) { iw_signal_registered_groups(SIGKILL); }

static void register_group(pid_t group) {
    if (!exit_handler_registered) {
        atexit(end_groups_at_exit);
        exit_handler_registered = 1;
    }
    for (int i = 0; i < GROUP_SLOTS; i++) {
        int expected = 0;
        if (__atomic_compare_exchange_n((int *)&groups[i], &expected, (int)group, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return;
    }
}

void iw_unregister_group(pid_t group) {
    for (int i = 0; i < GROUP_SLOTS; i++) {
        int expected = (int)group;
        __atomic_compare_exchange_n((int *)&groups[i], &expected, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
}

void iw_signal_registered_groups(int signal_number) {
    for (int i = 0; i < GROUP_SLOTS; i++) {
        int group = __atomic_load_n((int *)&groups[i], __ATOMIC_SEQ_CST);
        if (group > 0) kill(-group, signal_number);
    }
}

void iw_become_subreaper(void) { prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

// Closes every descriptor from `low` to `high` (inclusive): close_range where the kernel has it,
// else one by one up to the descriptor limit. Async-signal-safe.
static void close_between(unsigned int low, unsigned int high, unsigned int limit) {
    if (low > high) return;
#ifdef SYS_close_range
    if (syscall(SYS_close_range, low, high, 0) == 0) return;
#endif
    if (high > limit) high = limit;
    for (unsigned int fd = low; fd <= high; fd++) close((int)fd);
}

pid_t iw_spawn(const char *path, char *const argv[], int output_fd, const char *directory) {
    // A parent that ignored SIGCHLD passes that on through exec: children would be reaped by the
    // kernel and their exit status lost (a detection recorded as "clean"). The wizard waits for
    // its own children.
    signal(SIGCHLD, SIG_DFL);
    // The output and the report pipe above 2, so the dup2 calls below never clobber them (the
    // wizard may have been started with stdout or stderr closed).
    int output = fcntl(output_fd, F_DUPFD_CLOEXEC, 3);
    if (output < 0) return -errno;
    int report[2];
    int raw[2];
    if (pipe2(raw, O_CLOEXEC) != 0) {
        int error = errno;
        close(output);
        return -error;
    }
    report[0] = fcntl(raw[0], F_DUPFD_CLOEXEC, 3);
    report[1] = fcntl(raw[1], F_DUPFD_CLOEXEC, 3);
    close(raw[0]);
    close(raw[1]);
    if (report[0] < 0 || report[1] < 0) {
        int error = errno;
        if (report[0] >= 0) close(report[0]);
        if (report[1] >= 0) close(report[1]);
        close(output);
        return -error;
    }
    struct rlimit limit;
    unsigned int max_fd = 4096;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < 65536) {
        max_fd = (unsigned int)limit.rlim_cur;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        close(output);
        return -error;
    }
    if (pid == 0) {
        // Only async-signal-safe calls from here to exec.
        setpgid(0, 0);
        // If the wizard is killed outright (SIGKILL: no chance to end the group), the command
        // dies with it rather than writing on into a report folder that may be resumed.
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        if (getppid() != parent) _exit(127);
        sigset_t empty;
        sigemptyset(&empty);
        for (int number = 1; number < NSIG; number++) signal(number, SIG_DFL);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        int input = open("/dev/null", O_RDONLY);
        int error = 0;
        if (input < 0 || dup2(input, 0) < 0 || dup2(output, 1) < 0 || dup2(output, 2) < 0) error = errno;
        if (!error && directory != NULL && chdir(directory) != 0) error = errno;
        if (!error) {
            // Every other descriptor of the wizard's (its journal and its lock, sockets, pipes) is
            // closed: a child holding one could keep the wizard waiting, or the journal locked.
            unsigned int keep = (unsigned int)report[1];  // >= 3
            close_between(3, keep - 1, max_fd);
            close_between(keep + 1, ~0U, max_fd);
            execve(path, argv, environ);
            error = errno;
        }
        ssize_t ignored = write(report[1], &error, sizeof error);
        (void)ignored;
        _exit(127);
    }
    // The child sets its own group; so does the parent, so the group exists before either goes on.
    setpgid(pid, pid);
    close(output);
    close(report[1]);
    int child_error = 0;
    ssize_t got;
    do { got = read(report[0], &child_error, sizeof child_error); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof child_error) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -(child_error ? child_error : ENOEXEC);
    }
    register_group(pid);
    return pid;
}

#include <sys/vfs.h>

unsigned long iw_filesystem_type(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return 0;
    return (unsigned long)info.f_type;
}
