"""TCP to ports the test listens on: 127.0.0.1 and ::1 (a marker is sent if it connects)."""
import socket

for name, family, addr in (("tcp4", socket.AF_INET, ("127.0.0.1", {{PORT}})),
                           ("tcp6", socket.AF_INET6, ("::1", {{PORT6}}))):
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(1)
            s.connect(addr)
            s.sendall(b"{{MARKER}}")
            report[name] = "connected"
    except OSError as e:
        report[name] = e.errno
