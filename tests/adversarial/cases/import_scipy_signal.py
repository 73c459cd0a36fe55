"""A forbidden module (course.yaml: scipy.signal) in conv2d_single; where SciPy is not
installed the import fails all the same."""


def conv2d_single(x, w, b=0.0, stride=1, pad=0):
    import scipy.signal
    xp = np.pad(x, pad)
    return scipy.signal.correlate2d(xp, w, mode="valid")[::stride, ::stride] + b
