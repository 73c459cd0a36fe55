"""An exception whose message cannot be formed (conv_output_size): str() of it raises."""


class Evil(Exception):
    def __str__(self):
        raise Evil()

    def __repr__(self):
        raise Evil()


def conv_output_size(H, W, FH, FW, P, S):
    raise Evil()
