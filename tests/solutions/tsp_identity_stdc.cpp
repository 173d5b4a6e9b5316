// Visits the cities in input order, the way most contest C++ starts.
#include <bits/stdc++.h>
using namespace std;
int main() {
    int n;
    cin >> n;
    for (int i = 0; i < n; i++) cout << i << '\n';
}
