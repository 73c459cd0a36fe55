"""Unix sockets the test binds on the host: an abstract one (namespaced with the network)
and one on a path under /tmp; both must be out of reach."""
import socket

for name, addr in (("abstract", "\0{{MARKER}}-host"), ("path", "{{UNIX_PATH}}")):
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(1)
    try:
        s.connect(addr)
        s.sendall(b"{{MARKER}}")
        report[name] = "connected"
    except OSError as e:
        report[name] = e.errno
    finally:
        s.close()
