"""A UDP datagram to a port the test listens on, and raw/netlink/packet sockets."""
import socket

try:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b"{{MARKER}}", ("127.0.0.1", {{UDP_PORT}}))
        report["udp"] = "sent"
except OSError as e:
    report["udp"] = e.errno
for name, args in (("netlink", (socket.AF_NETLINK, socket.SOCK_RAW, 0)),
                   ("packet", (17, socket.SOCK_RAW, 0)),
                   ("raw_icmp", (socket.AF_INET, socket.SOCK_RAW, 1)),
                   ("vsock", (40, socket.SOCK_STREAM, 0))):
    try:
        socket.socket(*args).close()
        report[name] = "created"
    except OSError as e:
        report[name] = e.errno
