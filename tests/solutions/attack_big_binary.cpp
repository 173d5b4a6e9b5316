// Red team (tests/redteam.rs): a program of 300 MiB (an initialised array
// with external linkage, read through a volatile pointer, so that neither
// the compiler nor the linker may drop it), which would fill the build cache
// a candidate at a time. Expected: CE, the message naming the cap on what a
// compile may write.
#include <cstdio>
char big[300 << 20] = {1};
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    volatile char* p = big;
    for (int i = 0; i < n; i++) std::printf("%d\n", i + (p[i] == 2));
}
