"""The HTML report renders Korean on a machine without CJK fonts: screenshots by headless
Chromium whose fontconfig knows only DejaVu (Latin), so any Hangul it draws comes from the
font embedded in the page. A control page without the embedded font proves the point: there
every syllable is the same empty box."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

from autograder import html_report, webfont

BROWSER = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(b)), None)
if BROWSER is None and not os.environ.get("CI"):
    pytest.skip("no headless Chromium here (CI installs Debian's chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def latin_only(tmp_path_factory) -> dict:
    """An environment whose fontconfig has DejaVu only: no Hangul anywhere on the system."""
    assert BROWSER, "CI must have Chromium (apt-get install chromium)"
    folder = tmp_path_factory.mktemp("fontconfig")
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    (folder / "fonts.conf").write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{dejavu}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>")
    return {**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf")}


def screenshot(html: str, folder: Path, name: str, env: dict) -> np.ndarray:
    page, png = folder / f"{name}.html", folder / f"{name}.png"
    page.write_text(html, encoding="utf-8")
    subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--screenshot={png}", "--window-size=900,400", page.as_uri()],
                   env=env, check=True, capture_output=True, timeout=60)
    return np.asarray(Image.open(png).convert("L"))


def without_font(html: str) -> str:
    stripped = re.sub(r"@font-face\{[^}]*\}", "", html)
    assert stripped != html
    return stripped


def line(text: str) -> str:
    return html_report._page("t", f'<p style="font-size:48px">{text}</p>', "ko")


@pytest.mark.parametrize("a, b", [("가가가", "나나나"),     # in the grader's messages
                                  ("뷁뷁뷁", "똠똠똠")])    # only in a student's output
def test_distinct_syllables_render_as_distinct_glyphs(latin_only, tmp_path, a, b):
    control = [screenshot(without_font(line(s)), tmp_path, f"control{i}", latin_only)
               for i, s in enumerate((a, b))]
    assert np.array_equal(*control), "this machine draws Hangul without the page's font"
    shown = [screenshot(line(s), tmp_path, f"page{i}", latin_only) for i, s in enumerate((a, b))]
    assert not np.array_equal(*shown)
    assert all((image < 128).sum() > 500 for image in shown)      # ink, not a blank page


def test_korean_overview_renders_and_stays_small(latin_only, tmp_path):
    html = html_report.render_overview([], "ko")
    assert "수업" in html or "현황" in html
    assert len(html.encode()) < 150_000
    shown = screenshot(html, tmp_path, "overview", latin_only)
    control = screenshot(without_font(html), tmp_path, "overview_control", latin_only)
    assert (shown != control).mean() > 0.002       # the headings are drawn differently


def test_font_face_reuses_one_subset_for_catalogue_text():
    first = webfont.font_face("합성곱 (Convolution)")
    assert first is webfont.font_face("통과 실패")
    assert "뷁" not in "".join(webfont._message_characters())
    assert webfont.font_face("뷁") is not first
