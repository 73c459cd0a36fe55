"""A 50 GB allocation at the top level: that cell fails, the functions above it still count."""
hog = bytearray(50 * 10 ** 9)
