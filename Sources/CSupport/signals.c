#include "iw_support.h"

#include <ncursesw/curses.h>
#include <signal.h>
#include <stdlib.h>

static volatile sig_atomic_t signal_received = 0;

static void record_signal(int signal_number) { signal_received = signal_number; }

static void handle(void (*handler)(int), const int *signals, int count) {
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    action.sa_handler = handler;
    for (int i = 0; i < count; i++) sigaction(signals[i], &action, NULL);
}

void iw_install_signal_handlers(void) {
    // A parent may have started us with signals blocked (they are inherited): unblock the ones the
    // interface relies on, or a resize or SIGTERM would never arrive.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGWINCH);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGQUIT);
    sigprocmask(SIG_UNBLOCK, &wanted, NULL);
    handle(record_signal, (int[]){SIGTERM, SIGHUP, SIGINT, SIGQUIT}, 4);
}

int iw_pending_signal(void) { return signal_received; }

static void end_groups_then_die(int signal_number) {
    iw_signal_registered_groups(SIGKILL);
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void iw_install_plain_exit_handlers(void) {
    handle(end_groups_then_die, (int[]){SIGTERM, SIGHUP, SIGINT, SIGQUIT}, 4);
}

static int curses_active = 0;
static int restore_registered = 0;

static void restore_at_exit(void) {
    if (curses_active) {
        endwin();
        curses_active = 0;
    }
}

void iw_mark_curses_active(int active) {
    if (!restore_registered) {
        atexit(restore_at_exit);
        restore_registered = 1;
    }
    curses_active = active;
}
