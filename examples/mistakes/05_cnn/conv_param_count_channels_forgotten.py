BREAKS = ("conv_param_count",)
DIAGNOSIS = "channels_forgotten"


def conv_param_count(C, F, FH, FW):
    return F * (FH * FW + 1)
