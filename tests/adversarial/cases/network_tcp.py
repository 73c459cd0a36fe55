"""Phone home over TCP to a port the grader machine listens on (127.0.0.1)."""
import socket

try:
    with socket.create_connection(("127.0.0.1", {{PORT}}), timeout=1) as s:
        s.sendall(b"{{MARKER}} says hello")
        print("connected")
except OSError as e:
    print("no network:", e)
