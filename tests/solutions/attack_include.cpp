// Red team (tests/redteam.rs): a host file through the compiler's messages.
// g++ reads /etc/shadow as C++ and its errors quote the lines it could not
// parse, password hashes and all: the compile must not see the file. It is a
// compile error either way; the test checks what the message says.
#include "/etc/shadow"
#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; i++) printf("%d\n", i);
}
