/* A fake virus scanner for the flood benchmark: writes exactly N bytes (default 1 GiB) of
 * deterministic, non-trivial, printable 64-byte lines to stdout, then exits 0 ("clean").
 * Each line: a counter, a file name and a xorshift64 value, padded with '.' to 63 characters
 * plus '\n'. No line ends in " FOUND". The same N always gives the same bytes, so the
 * driver computes the expected SHA-256 once with `fake-scanner N | sha256sum`.
 *
 *     cc -O2 -o fake-scanner fake-scanner.c && ./fake-scanner 1073741824 > out
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINE 64
#define LINES_PER_BUFFER 4096

static int write_all(const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(1, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv) {
    unsigned long long total = argc > 1 ? strtoull(argv[1], NULL, 10) : (1ULL << 30);
    static char buffer[LINE * LINES_PER_BUFFER];
    char line[LINE + 1];
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    unsigned long long written = 0, n = 0;
    while (written < total) {
        size_t len = 0;
        for (int i = 0; i < LINES_PER_BUFFER; i++, n++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            int k = snprintf(line, sizeof line, "%012llu /home/bench/docs/file-%08llx.bin %016llx OK", n,
                             (n * 2654435761ULL) & 0xffffffffULL, (unsigned long long)x);
            if (k < 0 || k > LINE - 1) k = LINE - 1;
            memset(line + k, '.', (size_t)(LINE - 1 - k));
            line[LINE - 1] = '\n';
            memcpy(buffer + len, line, LINE);
            len += LINE;
        }
        unsigned long long left = total - written;
        size_t chunk = left < len ? (size_t)left : len;
        if (write_all(buffer, chunk) != 0) {
            perror("fake-scanner: write");
            return 2;
        }
        written += chunk;
    }
    return 0;
}
