"""Every sentence a student or instructor reads, in English and Korean.

Technical terms keep their English name in parentheses in Korean, as the lecture slides do.
"""
from __future__ import annotations

MESSAGES = {
    "status.pass": {"en": "pass", "ko": "통과"},
    "status.partial": {"en": "partial", "ko": "부분 점수"},
    "status.fail": {"en": "fail", "ko": "실패"},
    "status.error": {"en": "error", "ko": "오류"},
    "header": {"en": "{path} ({assignment}): {score:g} / {max_score:g}",
               "ko": "{path} ({assignment}): {score:g} / {max_score:g}점"},
    "passed_cases": {"en": "{n_passed}/{n_checks} checks passed",
                     "ko": "검사 {n_checks}개 중 {n_passed}개 통과"},
    "missing": {"en": "{problem} is not defined in the submission",
                "ko": "제출물에 {problem} 함수가 정의되어 있지 않습니다"},
    "call_error": {"en": "{problem} failed on case {case}: {detail}",
                   "ko": "{problem}이(가) 케이스 {case}에서 실패했습니다: {detail}"},
    "no_raise": {"en": "case {case}: expected {detail} for invalid input, but nothing was raised",
                 "ko": "케이스 {case}: 잘못된 입력에는 {detail}을(를) 발생시켜야 하는데 아무 예외도 없었습니다"},
    "wrong_raise": {"en": "case {case}: expected {detail} for invalid input, got another exception",
                    "ko": "케이스 {case}: 잘못된 입력에는 {detail}이(가) 필요한데 다른 예외가 발생했습니다"},
    "values": {"en": "{output}[{case}, {dtype}, {device}]: {n_bad}/{n} elements differ, "
                     "max |diff| {max_abs:.3g}, rel {max_rel:.3g} at {index}",
               "ko": "{output}[{case}, {dtype}, {device}]: {n}개 중 {n_bad}개 원소가 다름, "
                     "최대 |차이| {max_abs:.3g}, 상대 {max_rel:.3g}, 위치 {index}"},
    "shape": {"en": "{output}[{case}]: shape {actual_shape}, expected {expected_shape}",
              "ko": "{output}[{case}]: 모양(shape) {actual_shape}, 기대값 {expected_shape}"},
    "nonfinite": {"en": "{output}[{case}]: {n_bad}/{n} elements are NaN or inf (first at {index})",
                  "ko": "{output}[{case}]: {n}개 중 {n_bad}개 원소가 NaN 또는 inf입니다 (처음 위치 {index})"},
    "likely": {"en": "Likely cause: {text}", "ko": "예상 원인: {text}"},
    "pattern.shape": {
        "en": "The {output} has shape {actual}, expected {expected}. For a convolution or pooling "
              "output, OH = (H + 2P - FH) // S + 1 and OW = (W + 2P - FW) // S + 1.",
        "ko": "{output}의 모양(shape)이 {actual}인데 {expected}이어야 합니다. 합성곱(convolution)이나 "
              "풀링(pooling)의 출력은 OH = (H + 2P - FH) // S + 1, OW = (W + 2P - FW) // S + 1입니다."},
    "pattern.transposed": {"en": "The output looks transposed: rows and columns are swapped.",
                           "ko": "출력이 전치(transpose)된 것 같습니다: 행과 열이 바뀌었습니다."},
    "pattern.sign": {"en": "The values have the right size but the opposite sign.",
                     "ko": "값의 크기는 맞지만 부호가 반대입니다."},
    "pattern.scaled": {"en": "The values are the right ones times {factor:.4g}: a missing or extra factor.",
                       "ko": "값이 정답의 {factor:.4g}배입니다: 곱하거나 나누는 인자가 빠졌거나 더 들어갔습니다."},
    "pattern.channel_offset": {
        "en": "Each channel is off by a constant ({offsets}): check the bias.",
        "ko": "채널마다 일정한 값({offsets})만큼 차이가 납니다: 편향(bias)을 확인하세요."},
    "pattern.border": {"en": "Only the border of the map is wrong: check the padding.",
                       "ko": "특징 맵의 가장자리만 틀렸습니다: 패딩(padding)을 확인하세요."},
    "pattern.permuted": {"en": "The right values are there, but in a different order (an axis or index mix-up).",
                         "ko": "맞는 값들이 있지만 순서가 다릅니다 (축이나 인덱스가 뒤섞였습니다)."},
    "pattern.nonfinite": {"en": "{n_bad} of {n} values are NaN or inf (first at {index}): look for a "
                                "division by zero or an overflow.",
                          "ko": "{n}개 중 {n_bad}개 값이 NaN 또는 inf입니다 (처음 위치 {index}): 0으로 나누기나 "
                                "오버플로(overflow)를 확인하세요."},
    "pattern.largest": {"en": "No known mistake matches; the largest difference is {max_abs:.3g} "
                              "(rel {max_rel:.3g}) in {output} at {index} of case {case}, "
                              "{n_bad}/{n} elements differ.",
                        "ko": "알려진 실수와 일치하지 않습니다. 가장 큰 차이는 케이스 {case}의 {output} "
                              "위치 {index}에서 {max_abs:.3g} (상대 {max_rel:.3g})이며, {n}개 중 {n_bad}개가 다릅니다."},
    "pattern.other": {"en": "The results differ from the expected ones.",
                      "ko": "결과가 기대값과 다릅니다."},
    "note": {"en": "note: {text}", "ko": "참고: {text}"},
    "total": {"en": "total {score:g} / {max_score:g}", "ko": "합계 {score:g} / {max_score:g}점"},
    "summary": {"en": "{n} submissions graded, {n_passed} with full marks, {n_errors} unreadable",
                "ko": "제출물 {n}개 채점, 만점 {n_passed}개, 읽을 수 없음 {n_errors}개"},
    "check.ok": {"en": "{problem}: all {n} public checks passed",
                 "ko": "{problem}: 공개 검사 {n}개 모두 통과"},
    "check.bad": {"en": "{problem}: {n_passed}/{n} public checks passed",
                  "ko": "{problem}: 공개 검사 {n}개 중 {n_passed}개 통과"},
}

LANGUAGES = ("en", "ko")


def t(key: str, lang: str = "en", **params) -> str:
    """The message `key` in `lang` (English where a translation is missing)."""
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**params)
