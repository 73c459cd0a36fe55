"""Connect to a Unix socket that a service of the grader machine listens on, in a folder
outside /tmp (think /run/docker.sock): the network namespace does not cover these."""
import socket

try:
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(1)
        s.connect("{{UNIX_SOCKET}}")
        s.sendall(b"{{MARKER}} says hello")
        print("connected")
except OSError as e:
    print("no socket:", e)
