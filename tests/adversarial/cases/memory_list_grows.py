"""A list that grows forever (zero_pad): memory limit or time limit, whichever comes first."""


def zero_pad(x, P):
    hog = []
    while True:
        hog.append([0] * 1000)
