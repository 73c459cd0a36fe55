"""Threads that keep running: one spins forever, one prints forever, one sleeps; none is a
daemon, so a normal interpreter exit would wait for them."""
import threading
import time


def spin():
    while True:
        pass


def chatter():
    while True:
        print("still here")
        time.sleep(0.01)


for target in (spin, chatter, lambda: time.sleep(10 ** 6)):
    threading.Thread(target=target, daemon=False).start()
