"""torch."""
LOSES = 'lstm_forward'
SAYS = ('failed to load', 'not allowed')
# ---- the student's cell
import torch
def lstm_forward(x, h0, W, b):
    return _ref_lstm_forward(x, h0, W, b)
