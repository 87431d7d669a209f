"""Widgets that keep working in the static site.

A reader of the built book has no kernel, so a widget whose callback runs in
Python is dead there. :func:`frames` instead draws every state beforehand and
lets the browser switch between them: the pictures sit in an
``ipywidgets.Stack`` whose ``selected_index`` is tied to the controls with
``jslink``, and ``jslink`` lives in the embedded widget state, so it works in
a static page as well as in a live kernel.
"""

import io
import itertools
import math
import os

import ipywidgets as W
from matplotlib.figure import Figure
from PIL import Image as PILImage
from traitlets import Unicode

from ._checks import check_choice, check_int, check_real

__all__ = ["frames", "FramesWidget", "needs_kernel", "figure_png", "FRAME_BUDGET_BYTES"]

#: Default limit of embedded frame bytes per widget; keeps a page light.
FRAME_BUDGET_BYTES = 1_500_000
#: Default limit on the number of frames per widget.
MAX_FRAMES = 150
#: Most parameters a frames widget takes (one nested Stack per parameter).
MAX_PARAMS = 4


def figure_png(fig, dpi=80, colors=256):
    """Render a matplotlib figure to compact PNG bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : int, default 80
    colors : int, default 256
        Size of the palette the image is quantised to (2..256); a palette PNG
        of a line plot is several times smaller than a full-colour one.

    Returns
    -------
    bytes
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    dpi = check_int("dpi", dpi, 10, 400)
    colors = check_int("colors", colors, 2, 256)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    img = PILImage.open(io.BytesIO(buf.getvalue())).convert("RGB")
    out = io.BytesIO()
    img.quantize(colors=colors, method=PILImage.Quantize.MEDIANCUT).save(out, format="png", optimize=True)
    return out.getvalue()


class _TitledImage(W.Image):
    """An ``Image`` whose ``tooltip`` reaches the page as its title.

    ipywidgets 8's front end sets the title in ``updateTooltip``, which reads
    the model's ``description``; ``Image`` has none, so the view fails to
    render ("Cannot read properties of undefined"). An empty description
    lets it through.
    """

    description = Unicode("").tag(sync=True)


def _png_widget(png, alt):
    """A PNG as an image widget that shrinks with a narrow page.

    ``alt`` becomes the image's title (ipywidgets' ``tooltip``): an ``Image``
    widget has no alt attribute, and screen readers read the title instead.
    """
    layout = W.Layout(max_width="100%", height="auto")
    if "tooltip" not in W.Image.class_trait_names():       # ipywidgets 7
        return W.Image(value=png, format="png", layout=layout)
    return _TitledImage(value=png, format="png", tooltip=alt, layout=layout)


class FramesWidget(W.VBox):
    """The box :func:`frames` returns: controls, the frame stack and a size note.

    Attributes
    ----------
    controls : list of ipywidgets.Widget
        One control per parameter, plus the Play button if asked for.
    stack : ipywidgets.Stack
        The outer stack of frames (for several parameters, stacks of stacks);
        with ipywidgets 7, which has no ``Stack``, the one ``Image`` that the
        controls update from the kernel.
    frame_count : int
    frame_bytes : int
        Total size of the embedded PNG frames.
    """


def _control(name, labels, kind, index):
    desc = name.replace("_", " ")
    desc = desc if len(desc) <= 16 else desc[:15] + "…"
    common = dict(options=labels, index=index, description=desc,
                  style={"description_width": "initial"})
    if kind == "dropdown":
        return W.Dropdown(**common)
    return W.SelectionSlider(continuous_update=True, layout=W.Layout(width="min(100%, 420px)"), **common)


def frames(draw, params, *, controls=None, play=False, initial=None, figsize=(5.0, 3.2),
           dpi=80, max_bytes=FRAME_BUDGET_BYTES, max_frames=MAX_FRAMES, labels=None, alt=None):
    """Precompute figures over a grid of parameters and browse them client-side.

    Parameters
    ----------
    draw : callable
        ``draw(fig, **values)`` draws one frame into a fresh
        ``matplotlib.figure.Figure`` (no pyplot state is touched).
    params : dict of str -> sequence
        One to four parameters, each with the discrete values to precompute.
    controls : dict of str -> {"slider", "dropdown"}, optional
        Control per parameter; a slider by default.
    play : bool, default False
        Add a Play button that steps through the first parameter.
    initial : dict of str -> value, optional
        The value shown first for each parameter (default: the first value).
    figsize : tuple of float, default (5.0, 3.2)
    dpi : int, default 80
    max_bytes : int, default :data:`FRAME_BUDGET_BYTES`
        Refuse to embed frames whose PNGs add up to more than this.
    max_frames : int, default :data:`MAX_FRAMES`
        Refuse grids with more frames than this (checked before drawing).
    labels : dict of str -> callable, optional
        Formats a parameter's values for its control (default ``str``).
    alt : str or callable, optional
        Text alternative of the frames, for readers who cannot see them: a
        string (what every frame shows) or ``alt(**values)`` returning one per
        frame. The current parameter values are added to it.

    Returns
    -------
    FramesWidget

    Raises
    ------
    ValueError
        If the grid is empty, too large, or its frames exceed ``max_bytes``.
    """
    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    if not isinstance(params, dict) or not 1 <= len(params) <= MAX_PARAMS:
        raise ValueError(f"params must be a dict of 1 to {MAX_PARAMS} parameters, got {params!r}")
    names = list(params)
    values = {}
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"parameter names must be strings, got {name!r}")
        vals = list(params[name]) if not isinstance(params[name], str) else None
        if not vals:
            raise ValueError(f"parameter {name!r} needs a non-empty sequence of values, got {params[name]!r}")
        values[name] = vals
    controls = dict(controls or {})
    for name, kind in controls.items():
        check_choice("controls key", name, names)
        check_choice(f"controls[{name!r}]", kind, ("slider", "dropdown"))
    max_bytes = check_int("max_bytes", max_bytes, 1)
    max_frames = check_int("max_frames", max_frames, 1)
    figsize = tuple(check_real("figsize", v, 0.5, 20) for v in figsize)
    initial = dict(initial or {})
    start = {}
    for name in names:
        if name in initial:
            if initial[name] not in values[name]:
                raise ValueError(f"initial[{name!r}] = {initial[name]!r} is not one of {values[name]}")
            start[name] = values[name].index(initial[name])
        else:
            start[name] = 0
    unknown = set(initial) - set(names)
    if unknown:
        raise ValueError(f"initial names unknown parameters {sorted(unknown)}; parameters are {names}")

    count = math.prod(len(values[n]) for n in names)
    if count > max_frames:
        raise ValueError(
            f"{count} frames requested ({' x '.join(str(len(values[n])) for n in names)}), "
            f"more than max_frames={max_frames}; use fewer parameter values"
        )

    pngs = {}
    total = 0
    for combo in itertools.product(*(range(len(values[n])) for n in names)):
        fig = Figure(figsize=figsize)
        draw(fig, **{n: values[n][i] for n, i in zip(names, combo)})
        png = figure_png(fig, dpi=dpi)
        total += len(png)
        if total > max_bytes:
            raise ValueError(
                f"the {count} frames would take more than max_bytes={max_bytes} bytes "
                f"(already {total} after {len(pngs) + 1}); lower dpi or figsize, or use fewer values"
            )
        pngs[combo] = png

    fmt = labels or {}
    if alt is not None and not (isinstance(alt, str) or callable(alt)):
        raise TypeError(f"alt must be a string or a callable, got {type(alt).__name__}")

    def alt_text(combo):
        vals = {n: values[n][i] for n, i in zip(names, combo)}

        def part(n, v):
            # "bar angle 30°", but not "test digit test digit #3"
            desc, lab = n.replace("_", " "), fmt.get(n, str)(v)
            return lab if lab.lower().startswith(desc.lower()) else f"{desc} {lab}"

        state = ", ".join(part(n, v) for n, v in vals.items())
        what = alt(**vals) if callable(alt) else (alt or "Precomputed figure")
        return f"{what} ({state})"

    ctrls = [_control(n, [fmt.get(n, str)(v) for v in values[n]], controls.get(n, "slider"), start[n])
             for n in names]
    # One Stack per level: the outer one follows the first control, each of
    # its children is a Stack following the second control, and so on; every
    # Stack of a level is jslinked to that level's control.
    def level(prefix):
        depth = len(prefix)
        items = range(len(values[names[depth]]))
        if depth == len(names) - 1:
            children = [_png_widget(pngs[prefix + (i,)], alt_text(prefix + (i,))) for i in items]
        else:
            children = [level(prefix + (i,)) for i in items]
        s = W.Stack(children, selected_index=start[names[depth]])
        W.jslink((ctrls[depth], "index"), (s, "selected_index"))
        return s

    if hasattr(W, "Stack"):
        stack = level(())
        note_text = "works without a kernel"
    else:
        # ipywidgets 7 (Google Colab) has no Stack: the controls drive one
        # picture from Python instead, which needs the kernel Colab has.
        first = tuple(start[n] for n in names)
        stack = _png_widget(pngs[first], alt_text(first))

        def show(change=None):
            combo = tuple(c.index for c in ctrls)
            stack.value = pngs[combo]
            if "tooltip" in stack.trait_names():
                stack.tooltip = alt_text(combo)

        for c in ctrls:
            c.observe(show, names="index")
        note_text = "shown by the running kernel"
    row = list(ctrls)
    if play:
        button = W.Play(min=0, max=len(values[names[0]]) - 1, value=start[names[0]], interval=400,
                        description="Play", layout=W.Layout(width="auto"))
        W.jslink((button, "value"), (ctrls[0], "index"))
        row.insert(0, button)
    note = W.HTML(f'<span class="dlbook-frames-note">{count} precomputed frames, '
                  f'{total / 1000:.0f} kB; {note_text}</span>')
    box = FramesWidget([W.HBox(row, layout=W.Layout(flex_flow="row wrap")), stack, note])
    box.add_class("dlbook-frames")
    box.controls, box.stack, box.frame_count, box.frame_bytes = row, stack, count, total
    return box


def needs_kernel(make_widget, draw_default, *, what="This widget", figsize=(5.0, 3.2), dpi=80,
                 alt=None):
    """Show a live widget in a kernel, and a labelled static figure in the built book.

    The book's build sets ``DLBOOK_STATIC_BUILD=1``; there the widget would
    embed with dead callbacks, so a figure of its default state stands in,
    with a note that says how to get the live version.

    Parameters
    ----------
    make_widget : callable
        Returns the live widget; called only outside the static build.
    draw_default : callable
        ``draw_default(fig)`` draws the widget's default state.
    what : str
        How the note names the widget.
    alt : str, optional
        Text alternative of the static figure (default: names the widget).

    Returns
    -------
    ipywidgets.Widget
    """
    if not callable(make_widget) or not callable(draw_default):
        raise TypeError("make_widget and draw_default must both be callable")
    if os.environ.get("DLBOOK_STATIC_BUILD") != "1":
        return make_widget()
    fig = Figure(figsize=figsize)
    draw_default(fig)
    note = W.HTML(f'<p class="dlbook-needs-kernel">{what} needs a live Python kernel: launch this page '
                  "in Binder or Colab (rocket icon above). Shown here: its default "
                  "state.</p>")
    box = W.VBox([note, _png_widget(figure_png(fig, dpi=dpi), alt or f"{what}, in its default state")])
    box.add_class("dlbook-needs-kernel-box")
    return box
