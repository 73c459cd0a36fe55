"""The in-notebook `check`: public cases only, the right verdict, and the mistake named."""
import numpy as np

from autograder import check
from reference import convolution as ref


def test_a_correct_function_passes_every_public_case(capsys):
    check("conv2d_single", ref.conv2d_single, lang="en")
    out = capsys.readouterr().out
    assert out.startswith("conv2d_single: all") and "public checks passed" in out


def test_a_wrong_function_is_named_in_both_languages(capsys):
    def no_bias(x, w, b, stride, pad):
        return ref.conv_forward(x, w, np.zeros_like(b), stride, pad)
    check("conv_forward", no_bias, lang="en")
    en = capsys.readouterr().out
    check("conv_forward", no_bias, lang="ko")
    ko = capsys.readouterr().out
    assert "0/3 public checks passed" in en and "The bias is missing" in en
    assert "편향(bias)이 빠졌습니다" in ko


def test_error_cases_must_raise(capsys):
    check("conv_output_size", lambda H, W, FH, FW, P, S: ((H + 2 * P - FH) // S + 1,
                                                          (W + 2 * P - FW) // S + 1), lang="en")
    out = capsys.readouterr().out
    assert "expected ValueError" in out
