BREAKS = ("conv_param_count",)
DIAGNOSIS = "bias_forgotten"


def conv_param_count(C, F, FH, FW):
    return F * C * FH * FW
