"""Explorers: a figure driven by sliders that responds both in Jupyter and on the static website.

An :class:`Explorer` displays as two things at once. With a kernel (Jupyter, Binder) the
front end shows the ipywidgets view: sliders that redraw the figure on every move. On the website,
where there is no kernel, the HTML builder takes the ``text/html`` rendering instead (the book's
``_config.yml`` puts ``text/html`` first for HTML), which holds the figure pre-rendered at every
combination of slider values and a few lines of JavaScript that show the frame the sliders select.
Both views have a play button that steps the first parameter through its values.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

__all__ = ["Explorer"]

#: The explorer and parameter combinations being rendered, inherited by forked workers.
_RENDERING = None


def _render_frame(index):
    explorer, combos = _RENDERING
    return explorer.render(**combos[index])


#: The most frames a static rendering may hold (each is a PNG of a few tens of kB).
MAX_FRAMES = 400

_SCRIPT = """
<script>
(function () {
  var root = document.getElementById("%(uid)s");
  var data = JSON.parse(root.querySelector("script.optlib-frames").textContent);
  var inputs = root.querySelectorAll("input[type=range]");
  var shown = root.querySelectorAll("output");
  var image = root.querySelector("img");
  var play = root.querySelector("button");
  var timer = null;
  function update() {
    var frame = 0, values = [];
    inputs.forEach(function (input, p) {
      var i = parseInt(input.value, 10);
      frame += i * data.strides[p];
      shown[p].textContent = data.labels[p][i];
      values.push(data.names[p] + " = " + data.labels[p][i]);
    });
    image.src = "data:image/png;base64," + data.frames[frame];
    image.alt = data.alt + " (" + values.join(", ") + ")";
  }
  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "\\u25B6 play";
  }
  play.addEventListener("click", function () {
    if (timer !== null) { stop(); return; }
    var first = inputs[0];
    if (first.value === first.max) { first.value = first.min; update(); }
    play.textContent = "\\u275A\\u275A pause";
    timer = setInterval(function () {
      if (first.value === first.max) { stop(); return; }
      first.value = String(parseInt(first.value, 10) + 1);
      update();
    }, 700);
  });
  inputs.forEach(function (input) {
    input.addEventListener("input", function () { if (timer !== null) { stop(); } update(); });
  });
  update();
})();
</script>
"""


class Explorer:
    """A figure over a grid of parameter values, with one slider per parameter.

    Args:
      draw: ``draw(fig, **values)`` draws one state on an empty ``matplotlib.figure.Figure``.
      params: ``{name: values}``; each slider steps through its list of values.
      alt: what the figure shows, for readers who cannot see it; the page adds the values of
        the sliders to it for every frame.
      labels: ``{name: text}`` shown beside each slider (default: the name).
      initial: ``{name: value}`` where the sliders start (default: the middle value).
      fmt: format of the values shown beside the sliders.
      figsize, dpi: size of the rendered figure.

    Example:
      >>> def draw(fig, a):
      ...     ax = fig.subplots()
      ...     ax.plot([0, 1], [0, a])
      >>> ex = Explorer(draw, {"a": [1, 2, 3]}, alt="a line of slope a", labels={"a": "slope a"})
      >>> html_view = ex.to_html()
      >>> html_view.count('type="range"'), ex.frame_count
      (1, 3)
    """

    def __init__(
        self,
        draw,
        params,
        *,
        alt,
        labels=None,
        initial=None,
        fmt="{:.3g}",
        figsize=(8, 3.6),
        dpi=100,
    ):
        if not callable(draw):
            raise TypeError(f"draw must be callable, got {type(draw).__name__}")
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError("alt must say in words what the figure shows")
        if not isinstance(params, dict) or not params:
            raise ValueError("params must be a non-empty dict {name: list of values}")
        self.params = {name: list(values) for name, values in params.items()}
        for name, values in self.params.items():
            if not values:
                raise ValueError(f"params[{name!r}] must hold at least one value")
        self.frame_count = math.prod(len(v) for v in self.params.values())
        if self.frame_count > MAX_FRAMES:
            raise ValueError(
                f"params give {self.frame_count} combinations; at most {MAX_FRAMES} fit on a page"
            )
        labels = labels or {}
        initial = initial or {}
        for argument, given in (("labels", labels), ("initial", initial)):
            unknown = set(given) - set(self.params)
            if unknown:
                raise ValueError(f"{argument} names unknown parameters {sorted(unknown)}")
        self.labels = {name: labels.get(name, name) for name in self.params}
        self.start = {}
        for name, values in self.params.items():
            if name in initial and initial[name] not in values:
                raise ValueError(
                    f"initial[{name!r}] = {initial[name]!r} is not in params[{name!r}]"
                )
            self.start[name] = values.index(initial[name]) if name in initial else len(values) // 2
        self.draw = draw
        self.alt = alt.strip()
        self.fmt = fmt
        self.figsize = figsize
        self.dpi = dpi

    def render(self, **values) -> bytes:
        """The figure at the given parameter values, as PNG bytes (256-colour palette)."""
        import numpy as np
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from PIL import Image

        fig = Figure(figsize=self.figsize, dpi=self.dpi)
        canvas = FigureCanvasAgg(fig)
        self.draw(fig, **values)
        canvas.draw()
        pixels = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
        png = io.BytesIO()
        palette = pixels.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        palette.save(png, format="PNG")
        return png.getvalue()

    def frames(self) -> list[bytes]:
        """Every frame, in row-major order of the parameter grid, rendered on all cores.

        Frames are independent, so they are rendered by forked worker processes where the
        platform can fork (the draw function, often a notebook closure, is inherited, not
        pickled); elsewhere one after the other.
        """
        global _RENDERING
        names = list(self.params)
        combos = [
            dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(self.params[n] for n in names))
        ]
        workers = min(os.cpu_count() or 1, len(combos))
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [self.render(**values) for values in combos]
        _RENDERING = (self, combos)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                return list(pool.map(_render_frame, range(len(combos))))
        finally:
            _RENDERING = None

    def to_html(self) -> str:
        """The kernel-free rendering: every frame pre-rendered, sliders in plain JavaScript."""
        names = list(self.params)
        sizes = [len(self.params[n]) for n in names]
        strides = [math.prod(sizes[p + 1 :]) for p in range(len(names))]
        frames = [base64.b64encode(png).decode("ascii") for png in self.frames()]
        data = {
            "frames": frames,
            "strides": strides,
            "labels": [[self.fmt.format(v) for v in self.params[n]] for n in names],
            "names": [self.labels[n] for n in names],
            "alt": self.alt,
        }
        uid = "optlib-explorer-" + hashlib.sha1("".join(frames).encode()).hexdigest()[:12]
        controls = "".join(
            f'<label style="display:inline-flex;align-items:center;gap:0.4em;margin-right:1.5em">'
            f"{html.escape(self.labels[n])}"
            f'<input type="range" min="0" max="{sizes[p] - 1}" step="1" value="{self.start[n]}">'
            f'<output style="min-width:3.5em;font-family:monospace"></output></label>'
            for p, n in enumerate(names)
        )
        return (
            f'<div class="optlib-explorer" id="{uid}">'
            f'<div class="optlib-explorer-controls" style="margin-bottom:0.4em">'
            f'<button type="button" style="margin-right:1.5em">&#9654; play</button>'
            f"{controls}</div>"
            f'<img alt="" style="max-width:100%;height:auto">'
            f'<script type="application/json" class="optlib-frames">{json.dumps(data)}</script>'
            f"</div>" + _SCRIPT % {"uid": uid}
        )

    def widget(self):
        """The live view: ipywidgets sliders that re-render the figure."""
        import ipywidgets as widgets

        sliders = {
            name: widgets.SelectionSlider(
                options=[(self.fmt.format(v), v) for v in values],
                value=values[self.start[name]],
                description=self.labels[name],
                style={"description_width": "initial"},
                layout=widgets.Layout(width="360px"),
            )
            for name, values in self.params.items()
        }
        first = next(iter(sliders.values()))
        play = widgets.Play(min=0, max=len(first.options) - 1, interval=700, description="play")
        widgets.jslink((play, "value"), (first, "index"))
        current = {name: slider.value for name, slider in sliders.items()}
        image = widgets.Image(value=self.render(**current), format="png")

        def redraw(change):
            image.value = self.render(**{name: s.value for name, s in sliders.items()})

        for slider in sliders.values():
            slider.observe(redraw, names="value")
        return widgets.VBox([widgets.HBox([play, *sliders.values()]), image])

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.to_html()}
        bundle.update(self.widget()._repr_mimebundle_())
        bundle["text/plain"] = f"Explorer over {', '.join(self.params)} ({self.frame_count} frames)"
        return bundle
