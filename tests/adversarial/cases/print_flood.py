"""100 MB of printing while loading."""
for _ in range(100_000):
    print("x" * 1000)
