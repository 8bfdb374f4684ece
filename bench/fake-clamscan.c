/* A fake ClamAV for the scan-progress benchmark: called `clamscan` so that the wizard follows it,
 * it walks its targets as clamscan -r does (symbolic links not followed inside a tree), reads
 * each regular file, burns a fixed amount of CPU time per file (--ms-per-file=MS, default 1.5),
 * and prints one "PATH: OK" line per file, flushed at once, as clamscan does. Before the first
 * file it waits --start-delay=S seconds (clamscan loading its signatures). At the end it
 * writes its own CPU time (user + system, microseconds) to --rusage-file=PATH, and exits 0.
 * Options it does not know (those starting with '-') are ignored.
 *
 *     cc -O2 -o clamscan fake-clamscan.c && ./clamscan --recursive --ms-per-file=1 TREE
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double ms_per_file = 1.5;
static volatile uint64_t sink;

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int visit(const char *path, const struct stat *info, int type, struct FTW *ftw) {
    (void)info;
    (void)ftw;
    if (type != FTW_F) return 0;
    double until = cpu_ms() + ms_per_file;
    uint64_t x = 88172645463325252ULL;
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        unsigned char buffer[4096];
        ssize_t n;
        while ((n = read(fd, buffer, sizeof buffer)) > 0)
            for (ssize_t i = 0; i < n; i++) x = (x ^ buffer[i]) * 1099511628211ULL;
        close(fd);
    }
    while (cpu_ms() < until)
        for (int i = 0; i < 1000; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; }
    sink = x;
    printf("%s: OK\n", path);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv) {
    const char *rusage_file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--ms-per-file=", 14) == 0) ms_per_file = atof(argv[i] + 14);
        else if (strncmp(argv[i], "--rusage-file=", 14) == 0) rusage_file = argv[i] + 14;
        else if (strncmp(argv[i], "--start-delay=", 14) == 0) {
            double seconds = atof(argv[i] + 14);
            struct timespec delay = {(time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9)};
            nanosleep(&delay, NULL);
        }
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        nftw(argv[i], visit, 64, FTW_PHYS);
    }
    printf("\n----------- SCAN SUMMARY -----------\nInfected files: 0\n");
    fflush(stdout);
    if (rusage_file) {
        struct rusage usage;
        getrusage(RUSAGE_SELF, &usage);
        FILE *f = fopen(rusage_file, "w");
        if (f) {
            fprintf(f, "%ld\n", (long)(usage.ru_utime.tv_sec * 1000000L + usage.ru_utime.tv_usec
                                      + usage.ru_stime.tv_sec * 1000000L + usage.ru_stime.tv_usec));
            fclose(f);
        }
    }
    return 0;
}
