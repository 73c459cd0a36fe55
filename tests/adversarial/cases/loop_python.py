"""An infinite loop in pure Python (zero_pad): the call runs into the time limit."""


def zero_pad(x, P):
    while True:
        pass
