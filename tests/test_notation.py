"""The notation table of how-to-use maps the book's symbols to the lecture's as the slides write them."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rows():
    text = (ROOT / "book" / "how-to-use.md").read_text()
    table = [line for line in text.splitlines() if line.startswith("| $")]
    return {line.split("|")[1].strip(): line.split("|")[2].strip() for line in table}


def test_lecture_symbols_as_on_the_slides():
    slides = (ROOT.parent / "shared" / "lecture" / "week2-slides.md")
    r = rows()
    # the backprop slide: w_i^(t) = w_i^(t-1) - l^(t) dL/dw_i, with l^(t) marked "learning rate"
    assert r["$\\eta$"].startswith("$l^{(t)}$")
    assert r["$\\theta_t$, $\\theta_{t+1}$"] == "$w^{(t-1)}$, $w^{(t)}$"
    assert "l^{(t)}" not in r["$\\text{loss}_i$, $\\text{loss}$"]
    assert "$L$" in r["$\\text{loss}_i$, $\\text{loss}$"] and "$C$" in r["$\\text{loss}_i$, $\\text{loss}$"]
    if slides.exists():                       # the slides are outside the repository
        s = slides.read_text()
        assert "w_i^{(t)} = w_i^{(t-1)} - l^{(t)}" in s and "learning rate" in s
        assert "Cost C or Loss" in s and "\\sum l_i" in s
