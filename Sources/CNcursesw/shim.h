#ifndef INCIDENT_WIZARD_CNCURSESW_SHIM_H
#define INCIDENT_WIZARD_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so ask for the wide-character API explicitly.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// glibc only declares wcwidth under _XOPEN_SOURCE; declare it ourselves.
extern int wcwidth(wchar_t c);

// Swift 6 rejects the mutable C globals; read them through functions.
static inline WINDOW *iw_stdscr(void) { return stdscr; }
static inline int iw_lines(void) { return LINES; }
static inline int iw_cols(void) { return COLS; }

// Function-like macros and attribute constants are not imported.
static inline int iw_key_f(int n) { return KEY_F(n); }
static inline attr_t iw_a_bold(void) { return A_BOLD; }
static inline attr_t iw_a_reverse(void) { return A_REVERSE; }
static inline attr_t iw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t iw_a_dim(void) { return A_DIM; }
static inline attr_t iw_a_normal(void) { return A_NORMAL; }
static inline int iw_ok(void) { return OK; }
static inline int iw_err(void) { return ERR; }
static inline int iw_key_code_yes(void) { return KEY_CODE_YES; }

// Signals: the handler only records which signal came; the UI loop (which wakes at least every
// quarter second) restores the terminal and exits. endwin() is not async-signal-safe.
#include <signal.h>
#include <stdlib.h>
static volatile sig_atomic_t iw_signal_received = 0;
static void iw_signal_handler(int signal_number) { iw_signal_received = signal_number; }
static inline void iw_install_signal_handlers(void) {
    // A parent may have started us with signals blocked (they are inherited): unblock the ones
    // the interface relies on, or a resize or SIGTERM would never arrive.
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGWINCH);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGHUP);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGQUIT);
    sigprocmask(SIG_UNBLOCK, &wanted, NULL);
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    action.sa_handler = iw_signal_handler;
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGQUIT, &action, NULL);
}
static inline int iw_pending_signal(void) { return iw_signal_received; }

// A last safety net: whatever path exits the process, the terminal is restored.
static int iw_curses_active = 0;
static void iw_restore_at_exit(void) { if (iw_curses_active) { endwin(); iw_curses_active = 0; } }
static inline void iw_mark_curses_active(int active) {
    static int registered = 0;
    if (!registered) { atexit(iw_restore_at_exit); registered = 1; }
    iw_curses_active = active;
}
// The terminal's size from the kernel (ioctl is variadic, which Swift cannot call).
#include <sys/ioctl.h>
static inline int iw_window_size(int *rows, int *columns) {
    struct winsize size;
    if (ioctl(1, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

// Swift 6 rejects the C globals stdin/stdout: open the terminal on them here.
static inline SCREEN *iw_newterm_stdio(void) { return newterm(NULL, stdout, stdin); }

#endif
