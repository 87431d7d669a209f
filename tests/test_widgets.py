"""The frames helper: counts, budget, jslink wiring in the embedded state."""

import io

import ipywidgets as W
import pytest
from ipywidgets.embed import embed_data
from matplotlib.figure import Figure
from PIL import Image

import dlbook as dl


def draw_line(fig, a, b=0):
    ax = fig.subplots()
    ax.plot([0, 1], [b, a + b])
    ax.set_title(f"a={a} b={b}")


def descendants(widget):
    ids = {widget.model_id}
    for child in getattr(widget, "children", ()):
        ids |= descendants(child)
    return ids


def links(widget):
    """(source model, source trait, target model, target trait) of the jslinks among
    ``widget``'s descendants, as the embedded widget state (what a static page gets) holds them."""
    state = embed_data(views=[widget])["manager_state"]["state"]
    ids = descendants(widget)
    out = []
    for model in state.values():
        if model["model_name"] == "LinkModel":
            (s, st), (t, tt) = model["state"]["source"], model["state"]["target"]
            s, t = s.removeprefix("IPY_MODEL_"), t.removeprefix("IPY_MODEL_")
            if s in ids and t in ids:
                out.append((s, st, t, tt))
    return out


def test_one_parameter_frames_and_links():
    w = dl.widgets.frames(draw_line, {"a": [1, 2, 3]}, initial={"a": 2})
    assert isinstance(w, dl.widgets.FramesWidget)
    assert w.frame_count == 3 and len(w.stack.children) == 3
    assert w.frame_bytes == sum(len(c.value) for c in w.stack.children)
    pngs = [c.value for c in w.stack.children]
    assert len(set(pngs)) == 3, "each frame should be a different picture"
    assert all(Image.open(io.BytesIO(p)).format == "PNG" for p in pngs)
    slider = w.controls[0]
    assert isinstance(slider, W.SelectionSlider) and slider.options == ("1", "2", "3")
    assert slider.index == 1 and w.stack.selected_index == 1
    assert links(w) == [(slider.model_id, "index", w.stack.model_id, "selected_index")]
    assert "3 precomputed frames" in w.children[-1].value


def test_two_parameters_nest_stacks_with_one_link_each():
    w = dl.widgets.frames(draw_line, {"a": [1, 2], "b": [0, 1, 2]}, controls={"b": "dropdown"}, play=True)
    play, sa, sb = w.controls
    assert isinstance(play, W.Play) and isinstance(sb, W.Dropdown)
    assert w.frame_count == 6
    inner = w.stack.children
    assert len(inner) == 2 and all(len(s.children) == 3 for s in inner)
    got = set(links(w))
    want = {(sa.model_id, "index", w.stack.model_id, "selected_index"),
            (play.model_id, "value", sa.model_id, "index")}
    want |= {(sb.model_id, "index", s.model_id, "selected_index") for s in inner}
    assert got == want
    # frame (a=2, b=1) sits at outer index 1, inner index 1
    ref = dl.widgets.frames(draw_line, {"a": [2], "b": [1]})
    assert inner[1].children[1].value == ref.stack.children[0].children[0].value


def test_three_parameters_nest_three_levels():
    def draw(fig, a, b, c):
        draw_line(fig, a, b + c)

    w = dl.widgets.frames(draw, {"a": [1, 2], "b": [0, 1], "c": [0, 5, 10]}, initial={"c": 5})
    ca, cb, cc = w.controls
    assert w.frame_count == 12
    middle = list(w.stack.children)
    inner = [s for m in middle for s in m.children]
    assert len(inner) == 4 and all(len(s.children) == 3 for s in inner)
    assert all(s.selected_index == 1 for s in inner)
    got = set(links(w))
    want = {(ca.model_id, "index", w.stack.model_id, "selected_index")}
    want |= {(cb.model_id, "index", m.model_id, "selected_index") for m in middle}
    want |= {(cc.model_id, "index", s.model_id, "selected_index") for s in inner}
    assert got == want
    # frame (a=2, b=0, c=10) is at indices 1, 0, 2
    ref = dl.widgets.frames(draw, {"a": [2], "b": [0], "c": [10]})
    assert middle[1].children[0].children[2].value == ref.stack.children[0].children[0].children[0].value


def test_budget_refusal_is_clear():
    with pytest.raises(ValueError, match=r"max_bytes=1000 bytes"):
        dl.widgets.frames(draw_line, {"a": [1, 2, 3]}, max_bytes=1000)
    with pytest.raises(ValueError, match=r"12 frames requested \(3 x 4\), more than max_frames=10"):
        dl.widgets.frames(draw_line, {"a": [1, 2, 3], "b": [0, 1, 2, 3]}, max_frames=10)


def test_bad_arguments():
    with pytest.raises(ValueError, match="1 to 4 parameters"):
        dl.widgets.frames(draw_line, {"a": [1], "b": [1], "c": [1], "d": [1], "e": [1]})
    with pytest.raises(ValueError, match="non-empty"):
        dl.widgets.frames(draw_line, {"a": []})
    with pytest.raises(ValueError, match=r"initial\['a'\] = 5 is not one of \[1, 2\]"):
        dl.widgets.frames(draw_line, {"a": [1, 2]}, initial={"a": 5})
    with pytest.raises(ValueError, match="controls"):
        dl.widgets.frames(draw_line, {"a": [1, 2]}, controls={"a": "knob"})
    with pytest.raises(TypeError, match="draw must be callable"):
        dl.widgets.frames(None, {"a": [1]})
    with pytest.raises(TypeError, match="matplotlib Figure"):
        dl.widgets.figure_png("not a figure")
    with pytest.raises(ValueError, match="dpi must be >= 10"):
        dl.widgets.figure_png(Figure(), dpi=1)


def test_quantised_png_is_smaller():
    fig = Figure(figsize=(5, 3))
    draw_line(fig, 1)
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=80)
    assert len(dl.widgets.figure_png(fig, dpi=80)) < len(raw.getvalue())


def test_needs_kernel_static_build_shows_figure_and_note(monkeypatch):
    monkeypatch.setenv("DLBOOK_STATIC_BUILD", "1")
    made = []
    box = dl.widgets.needs_kernel(lambda: made.append(1), lambda fig: draw_line(fig, 1), what="The explorer")
    assert made == [], "the live widget must not be built for the static page"
    note, image = box.children
    assert "The explorer needs a live Python kernel" in note.value
    assert isinstance(image, W.Image) and image.value[:4] == b"\x89PNG"


def test_needs_kernel_live_returns_the_widget(monkeypatch):
    monkeypatch.delenv("DLBOOK_STATIC_BUILD", raising=False)
    live = W.IntSlider()
    assert dl.widgets.needs_kernel(lambda: live, lambda fig: None) is live


def test_frames_carry_a_text_alternative():
    # screen readers read an Image widget's tooltip (its title attribute)
    w = dl.widgets.frames(draw_line, {"a": [1, 2], "b": [0, 1]},
                          alt=lambda a, b: f"a line rising by {a}", labels={"a": lambda v: f"{v} units"})
    frames = [img for stack in w.stack.children for img in stack.children]
    assert [f.tooltip for f in frames] == [
        "a line rising by 1 (a 1 units, b 0)", "a line rising by 1 (a 1 units, b 1)",
        "a line rising by 2 (a 2 units, b 0)", "a line rising by 2 (a 2 units, b 1)"]
    plain = dl.widgets.frames(draw_line, {"a": [1]}, alt="A line")
    assert plain.stack.children[0].tooltip == "A line (a 1)"
    default = dl.widgets.frames(draw_line, {"a": [1]})
    assert default.stack.children[0].tooltip == "Precomputed figure (a 1)"
    named = dl.widgets.frames(draw_line, {"a": [1]}, labels={"a": lambda v: f"a = {v}"})
    assert named.stack.children[0].tooltip == "Precomputed figure (a = 1)"
    with pytest.raises(TypeError, match="alt must be a string or a callable"):
        dl.widgets.frames(draw_line, {"a": [1]}, alt=3)


def test_needs_kernel_figure_has_alt(monkeypatch):
    monkeypatch.setenv("DLBOOK_STATIC_BUILD", "1")
    box = dl.widgets.needs_kernel(lambda: None, lambda fig: draw_line(fig, 1), what="The explorer")
    assert box.children[1].tooltip == "The explorer, in its default state"
    box = dl.widgets.needs_kernel(lambda: None, lambda fig: draw_line(fig, 1), alt="A line")
    assert box.children[1].tooltip == "A line"



def test_frames_without_stack_follow_the_controls_in_a_kernel(monkeypatch):
    # ipywidgets 7 (Google Colab) has no Stack: the same controls then drive
    # one picture from Python, which works there because Colab has a kernel
    monkeypatch.delattr(W, "Stack")
    w = dl.widgets.frames(draw_line, {"a": [1, 2], "b": [0, 1]}, controls={"b": "dropdown"},
                          initial={"a": 2})
    image = w.stack
    assert isinstance(image, W.Image) and w.frame_count == 4
    first = bytes(image.value)
    sa, sb = w.controls
    sb.index = 1
    assert bytes(image.value) != first
    sa.index, sb.index = 0, 0
    seen = bytes(image.value)
    assert seen != first and "running kernel" in w.children[-1].value
    # the pictures are those of the Stack version: (a=2, b=0), then (a=1, b=0)
    monkeypatch.undo()
    stacked = dl.widgets.frames(draw_line, {"a": [1, 2], "b": [0, 1]})
    assert first == bytes(stacked.stack.children[1].children[0].value)
    assert seen == bytes(stacked.stack.children[0].children[0].value)
