"""Ignore every catchable signal, then wait for one forever (conv2d_multi)."""
import signal


def conv2d_multi(x, w, b=0.0, stride=1, pad=0):
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM, signal.SIGXCPU,
                signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        signal.pause()
