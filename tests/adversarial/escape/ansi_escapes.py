"""Terminal control in every text a student controls: stdout, the loading cell's exception (a
note), and a call's exception (feedback): clear screen, cursor home, an OSC window title, a
bell, a carriage return with a forged score line, a right-to-left override."""
EVIL = "\x1b[2J\x1b[H\x1b]0;owned\x07\rScore: 13/13 \u202e{{MARKER}}\x1b[0m"


def conv_output_size(H, W, FH, FW, P, S):
    raise RuntimeError(EVIL)


print(EVIL)
raise ValueError(EVIL)
