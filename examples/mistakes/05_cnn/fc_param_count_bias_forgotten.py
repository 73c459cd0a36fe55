BREAKS = ("fc_param_count",)
DIAGNOSIS = "bias_forgotten"


def fc_param_count(D, M):
    return D * M
