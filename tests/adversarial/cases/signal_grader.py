"""Signal the grading process by its pid (SIGUSR1: the test records it instead of dying)."""
import os
import signal

try:
    os.kill({{GRADER_PID}}, signal.SIGUSR1)
    print("signalled")
except OSError as e:
    print("cannot signal:", e)
