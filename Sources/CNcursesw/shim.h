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

// No state here (no `static` variables): this header is compiled into every module that imports
// it, and each would get its own copy. Process-wide state lives in the CSupport target's C files.

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
