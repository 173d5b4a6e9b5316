// Red team (tests/redteam.rs): as attack_include.cpp, with a credentials file
// the test writes (`api_key = "..."`) in place of the placeholder: g++ quotes
// the line with the key in its error. The compile must not see the file.
#include "@@SECRET@@"
#include <cstdio>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    for (int i = 0; i < n; i++) printf("%d\n", i);
}
