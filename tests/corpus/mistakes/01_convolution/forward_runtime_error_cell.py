"""The cell raises."""
LOSES = 'conv_forward'
SAYS = ('failed to load',)
# ---- the student's cell
print(conv_forward(np.ones((1, 1, 2, 2)), np.ones((1, 2, 3, 3)), np.ones(1), 1, 0))
def conv_forward(x, w, b, stride, pad):
    return _ref_conv_forward(x, w, b, stride, pad)
