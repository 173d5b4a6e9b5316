# Visits the cities in input order.
import sys

n = int(sys.stdin.readline())
sys.stdout.write("".join(f"{i}\n" for i in range(n)))
