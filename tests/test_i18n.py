"""Every message exists in English and Korean, and the grader's runtime messages are
translated where a student reads them."""
import re

import pytest

from autograder import registry
from autograder.i18n import MESSAGES, detail


def test_every_message_has_both_languages():
    assert all(set(m) == {"en", "ko"} for m in MESSAGES.values())


def test_every_misconception_has_both_languages():
    for p in registry.all_problems().values():
        for m in p.misconceptions:
            assert m.text.get("en") and re.search("[가-힣]", m.text.get("ko", "")), (p.name, m.name)


@pytest.mark.parametrize("english, korean", [
    ("ran past the 10 s time limit", "10초 시간 제한을 넘겼습니다"),
    ("not run: an earlier call of zero_pad failed (ran past the 2 s time limit)",
     "실행하지 않음: 앞선 zero_pad 호출이 실패했습니다 (2초 시간 제한을 넘겼습니다)"),
    ("a.ipynb: broken notebook JSON (line 1: Expecting value)", "a.ipynb: 노트북 JSON이 깨졌습니다"),
    ("ImportError: import of 'torch' is not allowed in this assignment (implement it with NumPy) (line 3)",
     "'torch'을(를) import할 수 없습니다"),
    ("cell 4: while loading the submission: the process was killed by SIGKILL (memory or CPU limit?)",
     "셀 4: 제출물을 불러오는 중: 프로세스가 SIGKILL로 종료되었습니다 (메모리 또는 CPU 제한?)"),
])
def test_runtime_messages_in_korean(english, korean):
    assert korean in detail(english, "ko")
    assert detail(english, "en") == english


def test_a_students_own_message_is_left_alone():
    assert detail("ValueError: my own words (line 7)", "ko") == "ValueError: my own words (line 7)"
