// libFuzzer's documented entry point for programs that bring their own main
// (https://llvm.org/docs/LibFuzzer.html#using-libfuzzer-as-a-library). The definition comes from
// the toolchain's libclang_rt.fuzzer, which `-sanitize=fuzzer` links.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
