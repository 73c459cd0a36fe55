"""Every sentence a student or instructor reads, in English and Korean.

Technical terms keep their English name in parentheses in Korean, as the lecture slides do.
"""
from __future__ import annotations

MESSAGES = {
    "status.pass": {"en": "pass", "ko": "통과"},
    "status.partial": {"en": "partial", "ko": "부분 점수"},
    "status.fail": {"en": "fail", "ko": "실패"},
    "status.error": {"en": "error", "ko": "오류"},
    "unsafe": {"en": "UNSAFE: graded without the sandbox (--unsafe-no-sandbox); not a trusted grade",
               "ko": "안전하지 않음: 샌드박스 없이 채점되었습니다 (--unsafe-no-sandbox); 신뢰할 수 있는 점수가 아닙니다"},
    "header": {"en": "{path} ({assignment}): {score:g} / {max_score:g}",
               "ko": "{path} ({assignment}): {score:g} / {max_score:g}점"},
    "passed_cases": {"en": "{n_passed}/{n_checks} checks passed",
                     "ko": "검사 {n_checks}개 중 {n_passed}개 통과"},
    "missing": {"en": "{problem} is not defined in the submission",
                "ko": "제출물에 {problem} 함수가 정의되어 있지 않습니다"},
    "not_loaded": {"en": "{problem} is not defined because the cell that defines it failed to load: {cause}",
                   "ko": "{problem}을(를) 정의하는 셀을 불러오지 못해 정의되지 않았습니다: {cause}"},
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
    "below": {"en": "{case}: the trained network classifies {max_abs:.1%} of the test images right; "
                    "at least {max_rel:.1%} is required",
              "ko": "{case}: 학습한 신경망이 테스트 이미지의 {max_abs:.1%}를 맞혔습니다. 적어도 {max_rel:.1%}가 "
                    "필요합니다"},
    "likely": {"en": "Likely cause: {text}", "ko": "예상 원인: {text}"},
    "pattern.shape": {
        "en": "The {output} has shape {actual}, expected {expected}. {hint_text}",
        "ko": "{output}의 모양(shape)이 {actual}인데 {expected}이어야 합니다. {hint_text}"},
    "hint.like": {"en": "{output} is the gradient of {arg}, so it has the shape of {arg}: {shape}.",
                  "ko": "{output}는 {arg}에 대한 기울기(gradient)이므로 {arg}와 같은 모양 {shape}입니다."},
    "hint.window": {"en": "OH = (H + 2P - FH) // S + 1 and OW = (W + 2P - FW) // S + 1.",
                    "ko": "OH = (H + 2P - FH) // S + 1, OW = (W + 2P - FW) // S + 1입니다."},
    "hint.none": {"en": "", "ko": ""},
    "hint.named": {"en": "{output} has the shape {shape}.", "ko": "{output}의 모양은 {shape}입니다."},
    "pattern.off_by": {"en": "{outputs} is off by {offset:+g} on every failing case: check the '+ 1' "
                             "(the first window) and the floor division.",
                       "ko": "{outputs}가 실패한 모든 케이스에서 {offset:+g}만큼 다릅니다: '+ 1'(첫 번째 윈도우)과 "
                             "내림 나눗셈(//)을 확인하세요."},
    "pattern.offset": {"en": "Every value of {output} is off by the same constant {offset:.4g}: "
                             "something is added (or left out) once too often.",
                       "ko": "{output}의 모든 값이 같은 상수 {offset:.4g}만큼 다릅니다: 어떤 값을 한 번 더 "
                             "더했거나 빠뜨렸습니다."},
    "outputs.split": {"en": "Correct: {right}. Wrong: {wrong}.",
                      "ko": "맞음: {right}. 틀림: {wrong}."},
    "pattern.precision": {
        "en": "Every difference in {output} is within float32 rounding: did you compute in float32 "
              "(np.float32, astype(np.float32))? Keep the inputs' float64.",
        "ko": "{output}의 모든 차이가 float32 반올림 오차 안에 있습니다: float32로 계산했나요 "
              "(np.float32, astype(np.float32))? 입력의 float64를 유지하세요."},
    "pattern.outputs_swapped": {
        "en": "The right values are in the wrong places: {pairs} (an output holds the value another "
              "output should have: check the order of the returned tuple, and what each one is "
              "computed from).",
        "ko": "맞는 값이 다른 자리에 있습니다: {pairs} (한 출력에 다른 출력이 가져야 할 값이 들어 있습니다: "
              "돌려주는 튜플(tuple)의 순서와 각 값을 무엇으로 계산했는지 확인하세요)."},
    "pattern.fit.subset.image": {
        "en": "{outputs} adds up the batch image(s) {which} only: the filter is shared by all N "
              "images, so its gradient is the sum over every image (and every output position).",
        "ko": "{outputs}에 배치(batch)의 이미지 {which}만 더했습니다: 필터는 N개의 이미지가 공유하므로 "
              "기울기는 모든 이미지(와 모든 출력 위치)에 대한 합입니다."},
    "pattern.fit.factor.image": {
        "en": "{outputs} is the sum over the batch times {factor:.4g}: the filter's gradient is the "
              "plain sum over the N images, without a factor.",
        "ko": "{outputs}가 배치(batch) 합의 {factor:.4g}배입니다: 필터의 기울기는 N개 이미지에 대한 "
              "그냥 합이며, 곱하는 인자가 없습니다."},
    "pattern.fit.mean.image": {
        "en": "{outputs} is divided by the number of images N (a mean over the batch): the filter's "
              "gradient is the plain sum over the images.",
        "ko": "{outputs}를 이미지 수 N으로 나누었습니다(배치 평균): 필터의 기울기는 이미지에 대한 "
              "그냥 합입니다."},
    "pattern.fit.subset.step": {
        "en": "{outputs} holds the contribution of time step(s) {which} only (overwritten with = at "
              "each step, or summed over too few steps): the weights are shared by every step, so "
              "BPTT sums their gradients over all T steps (+=).",
        "ko": "{outputs}에 시점 {which}의 기여만 들어 있습니다(매 시점 =로 덮어썼거나 일부 시점만 "
              "더함): 가중치(weight)는 모든 시점이 공유하므로 BPTT는 T개 시점 전체의 기울기를 "
              "더합니다(+=)."},
    "pattern.fit.factor.step": {
        "en": "{outputs} is the sum over time times {factor:.4g}: BPTT sums the weights' gradients "
              "over the steps, without a factor.",
        "ko": "{outputs}가 시간에 대한 합의 {factor:.4g}배입니다: BPTT는 가중치의 기울기를 시점마다 "
              "그냥 더하며, 곱하는 인자가 없습니다."},
    "pattern.fit.mean.step": {
        "en": "{outputs} is divided by the number of steps T (a mean over time): BPTT sums the "
              "weights' gradients over the steps.",
        "ko": "{outputs}를 시점 수 T로 나누었습니다(시간 평균): BPTT는 가중치의 기울기를 시점마다 "
              "더합니다."},
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
    "summary": {"en": "{n} submissions graded, {n_passed} with full marks, {n_errors} unreadable",
                "ko": "제출물 {n}개 채점, 만점 {n_passed}개, 읽을 수 없음 {n_errors}개"},
    "check.ok": {"en": "{problem}: all {n} public checks passed",
                 "ko": "{problem}: 공개 검사 {n}개 모두 통과"},
    "check.bad": {"en": "{problem}: {n_passed}/{n} public checks passed",
                  "ko": "{problem}: 공개 검사 {n}개 중 {n_passed}개 통과"},
    "check.smallest": {
        "en": "Smallest failing public case {case}: from autograder.selfcheck import public_case; "
              "{problem}(*public_case(\"{problem}\", \"{case}\"))",
        "ko": "실패한 가장 작은 공개 케이스 {case}: from autograder.selfcheck import public_case; "
              "{problem}(*public_case(\"{problem}\", \"{case}\"))"},
    "check.expected_yours": {"en": "expected {output} = {expected}; yours = {actual}",
                             "ko": "기대값 {output} = {expected}; 제출 = {actual}"},
    "minimal.header": {"en": "Smallest failing case (inputs made from the public seed; run it yourself):",
                       "ko": "실패하는 가장 작은 케이스 (공개 시드(seed)로 만든 입력; 직접 실행해 보세요):"},
    "minimal.public": {"en": "Smallest failing public case (run it yourself):",
                       "ko": "실패하는 가장 작은 공개 케이스 (직접 실행해 보세요):"},
    "minimal.only_when": {"en": "Of {n} small cases, the {n_failing} that fail are exactly those with {feature}.",
                          "ko": "작은 케이스 {n}개 중 실패한 {n_failing}개는 정확히 {feature}인 케이스입니다."},
    "feature.stride": {"en": "stride > 1", "ko": "스트라이드(stride) > 1"},
    "feature.padding": {"en": "padding > 0", "ko": "패딩(padding) > 0"},
    "feature.bias": {"en": "a nonzero bias", "ko": "편향(bias)이 0이 아닌 경우"},
    "feature.batch": {"en": "more than one image or sequence (N > 1)",
                      "ko": "이미지나 시퀀스가 둘 이상(N > 1)"},
    "feature.channels": {"en": "more than one channel (C > 1)", "ko": "채널(channel)이 둘 이상(C > 1)"},
    "feature.filters": {"en": "more than one filter (F > 1)", "ko": "필터(filter)가 둘 이상(F > 1)"},
    "feature.steps": {"en": "more than one time step (T > 1)", "ko": "시점(time step)이 둘 이상(T > 1)"},
    "feature.nonzero_state": {"en": "a nonzero initial state", "ko": "초기 상태(initial state)가 0이 아닌 경우"},
    "feature.overlap": {"en": "overlapping windows (stride < window)",
                        "ko": "윈도우(window)가 겹치는 경우(stride < 윈도우)"},
    "feature.non_square": {"en": "a non-square window (height != width)",
                           "ko": "정사각형이 아닌 윈도우(window)(높이 != 너비)"},
    "feature.truncated": {"en": "k < T (the backward pass cut into chunks)",
                          "ko": "k < T (역전파(backward)가 구간(chunk)으로 잘리는 경우)"},
    "minimal.raises": {"en": "expected {raises}; yours: {error}",
                       "ko": "기대: {raises} 발생; 제출: {error}"},
    "minimal.error": {"en": "yours: {error}", "ko": "제출: {error}"},
    "stdout.header": {"en": "Your code printed (calls of {problem}):",
                      "ko": "제출한 코드가 출력한 내용 ({problem} 호출 중):"},
    "stdout.cut": {"en": "(cut: only the first {n} characters are kept)",
                   "ko": "(잘림: 처음 {n}자만 보관합니다)"},
    "pattern.probe.window": {
        "en": "A probe (one pixel set at a time in a blank {side}x{side} image) shows what your code "
              "reads: output (i, j) reads the {h}x{w} window starting at {at}; it should read the "
              "{eh}x{ew} window starting at {eat} (window {eh}x{ew}, stride {stride}).",
        "ko": "탐침(probe: 빈 {side}x{side} 이미지에서 한 번에 한 픽셀만 켠 입력)으로 본 코드의 동작: 출력 (i, j)가 "
              "{at}에서 시작하는 {h}x{w} 윈도우(window)를 읽습니다. {eat}에서 시작하는 {eh}x{ew} 윈도우를 "
              "읽어야 합니다 (윈도우 {eh}x{ew}, 스트라이드(stride) {stride})."},
    "probe.window.not_strided": {"en": "The window does not move with the stride.",
                                 "ko": "윈도우(window)가 스트라이드(stride)만큼 이동하지 않습니다."},
    "probe.window.by_size": {"en": "The window moves by its own size, not by the stride.",
                             "ko": "윈도우(window)가 스트라이드(stride)가 아니라 자기 크기만큼 이동합니다."},
    "probe.window.transposed": {"en": "The window's height and width are swapped.",
                                "ko": "윈도우(window)의 높이와 너비가 뒤바뀌었습니다."},
    "pattern.probe.overwrites": {
        "en": "A probe (the upstream gradient of one window at a time, on overlapping windows) shows "
              "that a window's gradient is lost where the next windows overlap it: each window's "
              "gradient overwrites the previous one in {output} instead of being added to it (+=).",
        "ko": "탐침(probe: 겹치는 윈도우(window)에 한 번에 한 윈도우의 상류 기울기(upstream gradient)만 넣은 "
              "호출)으로 보면, 뒤의 윈도우가 겹치는 곳에서 앞 윈도우의 기울기가 사라집니다: 각 윈도우의 "
              "기울기가 {output}에 더해지지(+=) 않고 앞의 값을 덮어씁니다."},
    "pattern.probe.depends_extra": {
        "en": "A probe (one argument changed at a time) shows that your {output} depends on {args}, "
              "which it should not: OH = (H + 2P - FH) // S + 1 and OW = (W + 2P - FW) // S + 1.",
        "ko": "탐침(probe: 인자를 하나씩 바꾼 호출)으로 보면 {output}이(가) {args}에 따라 달라지는데, 그러면 "
              "안 됩니다: OH = (H + 2P - FH) // S + 1, OW = (W + 2P - FW) // S + 1입니다."},
    "pattern.probe.depends_missing": {
        "en": "A probe (one argument changed at a time) shows that your {output} does not change with "
              "{args}, which it should: OH = (H + 2P - FH) // S + 1 and OW = (W + 2P - FW) // S + 1.",
        "ko": "탐침(probe: 인자를 하나씩 바꾼 호출)으로 보면 {output}이(가) {args}이(가) 바뀌어도 변하지 "
              "않는데, 변해야 합니다: OH = (H + 2P - FH) // S + 1, OW = (W + 2P - FW) // S + 1입니다."},
    "check.same": {"en": "(the same result as the check above) {line}",
                   "ko": "(위 검사와 같은 결과) {line}"},
    "check.no_cases": {
        "en": "{problem}: no public checks here: open the notebook that `autograder release` made "
              "(its public cases are inside it), or install PyTorch to compute them",
        "ko": "{problem}: 여기에는 공개 검사가 없습니다: `autograder release`가 만든 노트북을 여세요 "
              "(공개 케이스가 그 안에 들어 있습니다). 아니면 PyTorch를 설치해 계산하세요"},
    "check.undefined": {"en": "{problem}: not defined yet (0/{n} public checks)",
                        "ko": "{problem}: 아직 정의되지 않았습니다 (공개 검사 {n}개 중 0개)"},
    "check.summary": {
        "en": "{passed}/{total} functions pass all their public checks ({n_passed}/{n} checks)",
        "ko": "함수 {total}개 중 {passed}개가 공개 검사를 모두 통과했습니다 (검사 {n}개 중 {n_passed}개)"},
    "check.no_notebook": {
        "en": "check_all: no released notebook here and no assignment named: call "
              "check_all(\"01_convolution\") with the assignment's id",
        "ko": "check_all: 여기에 배포된 노트북이 없고 과제도 지정되지 않았습니다: "
              "check_all(\"01_convolution\")처럼 과제 id를 넘기세요"},
    "graded_here": {"en": "{problem}: graded on hidden cases when you submit (in a sandbox, not in this kernel).",
                    "ko": "{problem}: 제출하면 숨겨진 케이스로 채점됩니다 (이 커널이 아닌 샌드박스(sandbox)에서)."},
    "graded_failing": {"en": "{problem}: a public check fails (see above), so Validate reports this cell.",
                       "ko": "{problem}: 공개 검사가 실패하여 (위 참고) Validate가 이 셀을 실패로 보고합니다."},
    "graded_missing": {"en": "{problem} is not defined yet, so Validate reports this cell.",
                       "ko": "{problem}이(가) 아직 정의되지 않아 Validate가 이 셀을 실패로 보고합니다."},
    # class insight: similarity (autograder similarity), item analysis (autograder report),
    # a student's history (autograder history, grade --student)
    "sim.title": {"en": "Similar code in {assignment}: a review queue",
                  "ko": "{assignment}의 비슷한 코드: 검토 대기 목록"},
    "sim.review_note": {
        "en": "Nothing here is a finding: similar code and identical wrong answers are reasons to "
              "look, not proof of copying. Read both sides before deciding anything.",
        "ko": "여기 있는 것은 결론이 아닙니다: 비슷한 코드와 똑같은 오답은 살펴볼 이유일 뿐 베낀 증거가 "
              "아닙니다. 무엇이든 정하기 전에 양쪽 코드를 읽어 보세요."},
    "sim.method": {
        "en": "{n} students, compared per problem (the function and the helpers it calls), names, "
              "comments and layout ignored; starter code, the lesson's snippets and passages in more "
              "than {common} students' code are not counted; pairs from {threshold:.2f} are queued.",
        "ko": "학생 {n}명을 문제별로 비교했습니다 (함수와 그 함수가 부르는 보조 함수), 이름·주석·배치는 "
              "무시하고, 시작 코드·수업 자료의 코드·{common}명이 넘는 학생의 코드에 있는 부분은 세지 "
              "않습니다; 점수 {threshold:.2f} 이상인 쌍을 목록에 올립니다."},
    "sim.pair_title": {"en": "{problem}: {a} and {b}", "ko": "{problem}: {a}와(과) {b}"},
    "sim.score_line": {"en": "similarity {score:.2f} ({shared} distinctive passages in common)",
                       "ko": "유사도 {score:.2f} (공통된 특징적 부분 {shared}개)"},
    "sim.same_wrong_output": {
        "en": "The same wrong answer, byte for byte, on the public inputs ({n} students gave it)",
        "ko": "공개 입력에서 바이트 단위까지 똑같은 오답 (학생 {n}명이 같은 답을 냈습니다)"},
    "sim.skipped": {"en": "{n} submissions could not be read:", "ko": "제출물 {n}개를 읽을 수 없었습니다:"},
    "sim.student_a": {"en": "Student", "ko": "학생"},
    "sim.student_b": {"en": "Student", "ko": "학생"},
    "sim.score": {"en": "Similarity", "ko": "유사도"},
    "sim.compare": {"en": "side by side", "ko": "나란히 보기"},
    "sim.nothing": {"en": "No pair at {threshold:.2f} or above.",
                    "ko": "{threshold:.2f} 이상인 쌍이 없습니다."},
    "sim.cluster": {"en": "A group of {n}: {students}", "ko": "{n}명 묶음: {students}"},
    "sim.shared_title": {"en": "Identical wrong answers", "ko": "똑같은 오답"},
    "sim.no_graded": {
        "en": "Wrong answers were not compared: give --graded with the folder of `autograder grade --out`.",
        "ko": "오답은 비교하지 않았습니다: `autograder grade --out`의 폴더를 --graded로 주세요."},
    "sim.no_shared": {"en": "No two students gave the same wrong answer.",
                      "ko": "같은 오답을 낸 두 학생이 없습니다."},
    "sim.sharing": {"en": "Students with this answer", "ko": "이 답을 낸 학생 수"},
    "sim.diagnosis": {"en": "Diagnosis", "ko": "진단"},
    "sim.summary": {
        "en": "{assignment}: {n} students, {queued} pairs queued, {clusters} groups of three or more, "
              "{shared} pairs with the same wrong answer; wrote {out}",
        "ko": "{assignment}: 학생 {n}명, 검토할 쌍 {queued}개, 세 명 이상 묶음 {clusters}개, 같은 오답 쌍 "
              "{shared}개; {out}에 썼습니다"},
    "err.no_such": {"en": "{path}: no such file or folder", "ko": "{path}: 그런 파일이나 폴더가 없습니다"},
    "err.unknown_assignment": {"en": "--assignment {assignment}: no such assignment (known: {known})",
                               "ko": "--assignment {assignment}: 그런 과제가 없습니다 (있는 과제: {known})"},
    "err.unwritable": {"en": "{option} {path}: cannot write there ({why})",
                       "ko": "{option} {path}: 그곳에 쓸 수 없습니다 ({why})"},
    "err.no_submissions": {"en": "no .ipynb, .py or .zip submissions in {paths}",
                           "ko": "{paths}에 .ipynb, .py, .zip 제출물이 없습니다"},
    "err.no_records": {"en": "{path}: no graded records (the folder of `autograder grade --out`)",
                       "ko": "{path}: 채점 기록이 없습니다 (`autograder grade --out`의 폴더가 아닙니다)"},
    "err.no_student": {"en": "--student {student}: no submission of this student in {paths}",
                       "ko": "--student {student}: {paths}에 이 학생의 제출물이 없습니다"},
    "err.no_history": {"en": "--student {student}: no history in {path}",
                       "ko": "--student {student}: {path}에 기록이 없습니다"},
    "err.threshold": {"en": "--threshold {value}: must be between 0 and 1",
                      "ko": "--threshold {value}: 0과 1 사이여야 합니다"},
    "ia.title": {"en": "Item analysis: {assignment}", "ko": "문항 분석: {assignment}"},
    "ia.method": {
        "en": "{n} graded students; top and bottom thirds of {third} by total score (ties by id); "
              "discrimination = pass rate in the top third - pass rate in the bottom third; "
              "{excluded} submissions that could not be graded are left out.",
        "ko": "채점된 학생 {n}명; 총점 기준 상위·하위 3분의 1 각 {third}명 (동점은 학번 순); "
              "변별도 = 상위 집단 통과율 - 하위 집단 통과율; 채점할 수 없었던 제출물 {excluded}개는 제외."},
    "ia.header": {"en": "{assignment}: item analysis of {n} students ({excluded} not graded)",
                  "ko": "{assignment}: 학생 {n}명의 문항 분석 (채점 안 됨 {excluded}명)"},
    "ia.problem_line": {"en": "pass rate {rate:.0%} ({n_pass}/{n}), discrimination {d}",
                        "ko": "통과율 {rate:.0%} ({n}명 중 {n_pass}명), 변별도 {d}"},
    "ia.revise_count": {"en": "{n} items everyone passes or no one passes (candidates to revise)",
                        "ko": "모두 통과하거나 아무도 통과하지 못한 문항 {n}개 (수정 후보)"},
    "ia.problems": {"en": "Problems", "ko": "문제"},
    "ia.checks": {"en": "Checks ({n}): each hidden case in each dtype and device",
                  "ko": "검사 {n}개: 숨겨진 케이스마다, dtype과 장치(device)마다"},
    "ia.check": {"en": "Check", "ko": "검사"},
    "ia.pass_rate": {"en": "Pass rate", "ko": "통과율"},
    "ia.top": {"en": "Top third", "ko": "상위 1/3"},
    "ia.bottom": {"en": "Bottom third", "ko": "하위 1/3"},
    "ia.discrimination": {"en": "Discrimination", "ko": "변별도"},
    "ia.revise": {"en": "Revise?", "ko": "수정 후보"},
    "ia.revise.all_pass": {"en": "everyone passes: it separates no one",
                           "ko": "모두 통과: 아무도 구별하지 못합니다"},
    "ia.revise.all_fail": {"en": "no one passes: check the case, its tolerance or the teaching",
                           "ko": "아무도 통과하지 못함: 케이스, 허용 오차, 수업 내용을 확인하세요"},
    "ia.revise_title": {"en": "Candidates to revise", "ko": "수정 후보"},
    "ia.revise_none": {"en": "None: every item separates some students.",
                       "ko": "없음: 모든 문항이 일부 학생을 구별합니다."},
    "ia.students": {"en": "Students", "ko": "학생"},
    "ia.student": {"en": "Student", "ko": "학생"},
    "ia.per_student": {"en": "Per student", "ko": "학생별"},
    "ia.failed": {"en": "Problems not passed, and why", "ko": "통과하지 못한 문제와 원인"},
    "ia.undiagnosed": {"en": "no diagnosis", "ko": "진단 없음"},
    "ia.excluded": {"en": "Not graded (left out): {students}", "ko": "채점 안 됨 (제외): {students}"},
    "ia.written": {"en": "wrote {paths}", "ko": "{paths}에 썼습니다"},
    "hist.header": {"en": "{student}, {assignment}: {n} gradings",
                    "ko": "{student}, {assignment}: 채점 {n}번"},
    "hist.line": {"en": "{graded_at}  {score:g} / {max:g}  code {digest}  (file of {submitted_at}: {submission})",
                  "ko": "{graded_at}  {score:g} / {max:g}점  코드 {digest}  ({submitted_at}의 파일: {submission})"},
    "hist.score_change": {"en": "score {old:g} -> {new:g} / {max:g}", "ko": "점수 {old:g} -> {new:g} / {max:g}"},
    "hist.code_changed": {
        "en": "the code changed ({old} -> {new}): it met new hidden cases",
        "ko": "코드가 바뀌었습니다 ({old} -> {new}): 새 숨겨진 케이스로 채점되었습니다"},
    "hist.secret_changed": {"en": "the course secret changed: the same code met new hidden cases",
                            "ko": "과목 비밀 키가 바뀌었습니다: 같은 코드가 새 숨겨진 케이스로 채점되었습니다"},
    "hist.course_changed": {"en": "course.yaml changed (points, tolerances or limits)",
                            "ko": "course.yaml이 바뀌었습니다 (배점, 허용 오차, 제한)"},
    "hist.same_inputs": {"en": "the same code, secret and course: the same grade",
                         "ko": "같은 코드, 비밀 키, 과목 설정: 같은 점수"},
    "hist.grader_changed": {
        "en": "the same code, secret and course: the grader itself changed (its version or its machine)",
        "ko": "같은 코드, 비밀 키, 과목 설정: 채점기 자체가 바뀌었습니다 (버전이나 실행 환경)"},
    "hist.problem_change": {"en": "{problem}: {old} -> {new} ({status})",
                            "ko": "{problem}: {old} -> {new} ({status})"},
    # the HTML report's headings and captions
    "html.expected": {"en": "Expected", "ko": "기대값"},
    "html.yours": {"en": "Your output", "ko": "제출한 출력"},
    "html.diff": {"en": "Difference (yours − expected)", "ko": "차이 (제출 − 기대값)"},
    "html.slice": {
        "en": "{output}[{case}, {dtype}, {device}], map {where}; the square marks the worst element",
        "ko": "{output}[{case}, {dtype}, {device}], 맵 {where}; 사각형은 차이가 가장 큰 원소입니다"},
    "html.problem": {"en": "Problem", "ko": "문제"},
    "html.status": {"en": "Status", "ko": "상태"},
    "html.score": {"en": "Score", "ko": "점수"},
    "html.feedback": {"en": "Feedback", "ko": "피드백"},
    "html.overview": {"en": "Class overview", "ko": "수업 전체 현황"},
    "html.submissions": {"en": "Submissions", "ko": "제출물"},
    "html.pass_rate": {"en": "pass rate {rate:.0%} ({n_pass}/{n}), mean {mean:.3g} / {max:g}",
                       "ko": "통과율 {rate:.0%} ({n}개 중 {n_pass}개), 평균 {mean:.3g} / {max:g}점"},
    "html.mistakes": {"en": "Most common mistakes", "ko": "가장 흔한 실수"},
    "html.count": {"en": "Submissions", "ko": "제출물 수"},
    "html.mistake": {"en": "Mistake", "ko": "실수"},
    "html.no_mistakes": {"en": "No known mistake was diagnosed.", "ko": "진단된 실수가 없습니다."},
}

LANGUAGES = ("en", "ko")


def t(key: str, lang: str = "en", **params) -> str:
    """The message `key` in `lang` (English where a translation is missing)."""
    entry = MESSAGES[key]
    return entry.get(lang, entry["en"]).format(**params)


# The grader's own runtime messages are made in English where they happen (the sandbox, the
# file reader); a reporter translates them here, whole or at their start. A student's own
# exception text inside them is left as the student wrote it.
DETAILS_KO = [
    (r"ran past the (?P<s>[\d.]+) s time limit", "{s}초 시간 제한을 넘겼습니다"),
    (r"not run: an earlier call of (?P<f>\w+) failed \((?P<why>.*)\)",
     "실행하지 않음: 앞선 {f} 호출이 실패했습니다 ({why})"),
    (r"the process exited \(code (?P<c>-?\d+)\) before finishing", "프로세스가 끝나기 전에 종료되었습니다 (코드 {c})"),
    (r"the process was killed by (?P<sig>\w+) \(memory or CPU limit\?\)",
     "프로세스가 {sig}로 종료되었습니다 (메모리 또는 CPU 제한?)"),
    (r"the process was killed by (?P<sig>\w+) \(a crash in native code\)",
     "프로세스가 {sig}로 종료되었습니다 (네이티브 코드의 충돌)"),
    (r"the process was killed by (?P<sig>\w+)(?P<rest>.*)", "프로세스가 {sig}로 종료되었습니다{rest}"),
    (r"while loading the submission: (?P<why>.*)", "제출물을 불러오는 중: {why}"),
    (r"cell (?P<i>\d+): (?P<why>.*)", "셀 {i}: {why}"),
    (r"(?P<e>NameError: .*); not loaded: (?P<why>.*)", "{e}; 불러오지 못한 셀: {why}"),
    (r"returned None \(is a `return` missing\?\)", "None을 돌려주었습니다 (`return`이 빠졌나요?)"),
    (r"returned (?P<t>\w+) with dtype (?P<d>\S+), not numbers", "{t}(dtype {d})를 돌려주었습니다: 숫자 배열이 아닙니다"),
    (r"returned too large an array \((?P<n>\d+) elements, over (?P<m>\d+)\)",
     "너무 큰 배열을 돌려주었습니다 (원소 {n}개, 최대 {m}개)"),
    (r"returned (?P<n>\S+) numbers, expected (?P<k>\d+) \((?P<names>.*)\)",
     "숫자 {n}개를 돌려주었습니다: {k}개({names})여야 합니다"),
    (r"returned (?P<t>\w+)(?P<len>( of length \d+)?), expected a tuple of (?P<n>\d+) arrays",
     "{t}{len}를 돌려주었습니다: 배열 {n}개의 튜플(tuple)이어야 합니다"),
    (r"returned (?P<t>\w+)(?P<len>( of length \d+)?), expected a tuple of (?P<n>\d+) values",
     "{t}{len}를 돌려주었습니다: 값 {n}개의 튜플(tuple)이어야 합니다"),
    (r"returned (?P<t>\w+) where a dict with the keys (?P<k>.*) is expected",
     "{t}를 돌려주었습니다: 키 {k}를 가진 딕셔너리(dict)여야 합니다"),
    (r"returned a dict without the key\(s\) (?P<k>.*)", "키 {k}가 없는 딕셔너리(dict)를 돌려주었습니다"),
    (r"returned a dict that cannot be read \((?P<e>\w+)\)", "읽을 수 없는 딕셔너리(dict)를 돌려주었습니다 ({e})"),
    (r"returned (?P<n>\d+) arrays, expected (?P<k>\d+)", "배열 {n}개를 돌려주었습니다: {k}개여야 합니다"),
    (r"sent back unreadable data \((?P<why>.*)\)", "읽을 수 없는 데이터를 보냈습니다 ({why})"),
    (r"sent a malformed (?P<what>.*)", "잘못된 형식의 응답을 보냈습니다 ({what})"),
    (r"internal error while grading: (?P<why>.*)", "채점기 내부 오류: {why} (다시 채점됩니다)"),
    (r"ImportError: import of '(?P<m>[\w.]+)' is not allowed in this assignment \(implement it with NumPy\)(?P<rest>.*)",
     "ImportError: 이 과제에서는 '{m}'을(를) import할 수 없습니다 (NumPy로 구현하세요){rest}"),
    (r"(?P<p>.+): the file is empty", "{p}: 파일이 비어 있습니다"),
    (r"(?P<p>.+): not a text file \(is it binary\?\)", "{p}: 텍스트 파일이 아닙니다 (바이너리 파일인가요?)"),
    (r"(?P<p>.+): broken notebook JSON \((?P<why>.*)\)", "{p}: 노트북 JSON이 깨졌습니다 ({why})"),
    (r"(?P<p>.+): not a \.ipynb or \.py file", "{p}: .ipynb 또는 .py 파일이 아닙니다"),
    (r"(?P<p>.+): not a Jupyter notebook \(no list of cells\)", "{p}: Jupyter 노트북이 아닙니다 (셀 목록이 없음)"),
    (r"(?P<p>.+): notebook format version (?P<v>\S+) is not supported \(save it with Jupyter as nbformat 4\)",
     "{p}: 노트북 형식 버전 {v}은(는) 지원하지 않습니다 (Jupyter에서 nbformat 4로 저장하세요)"),
    (r"(?P<p>.+): cannot tell which assignment this answers \(use --assignment\)",
     "{p}: 어느 과제의 제출물인지 알 수 없습니다 (--assignment를 쓰세요)"),
]


def detail(text: str, lang: str) -> str:
    """One of the grader's runtime messages in `lang` (unchanged where no rule knows it)."""
    import re
    if lang != "ko" or not text:
        return text
    for pattern, template in DETAILS_KO:
        m = re.fullmatch(pattern, text, flags=re.DOTALL)
        if m:
            parts = {k: detail(v, lang) if k == "why" else (v or "") for k, v in m.groupdict().items()}
            return template.format(**parts)
    return text
