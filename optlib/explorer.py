"""Explorers: a figure driven by sliders that responds in Jupyter, in Colab and on the website.

An :class:`Explorer` displays as HTML: the figure pre-rendered at every combination of slider
values and a few lines of JavaScript that show the frame the sliders select, with a play button
that steps the first parameter through its values. The same output works without a kernel (the
static website, a notebook reopened later) and in every front end that runs an output's
JavaScript (JupyterLab for a trusted notebook, Colab). Where the JavaScript does not run, the
figure at the initial values shows, with a note that running the cell brings the sliders to life.

In a live notebook (JupyterLab, Notebook or Colab) the cell shows the initial frame at once and
renders the others in a background thread, then replaces its output with the full explorer; in
batch execution (the book's build, nbval) it renders every frame before returning, on the CPUs
the process may use.
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
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

__all__ = ["Explorer"]

#: The explorer and parameter combinations being rendered, inherited by forked workers.
_RENDERING = None


def _render_frame(index):
    explorer, combos = _RENDERING
    return explorer.render(**combos[index])


#: The most frames a static rendering may hold (each is a PNG of a few tens of kB).
MAX_FRAMES = 400

#: cgroup v2's CPU quota of this container ("max" or "<quota> <period>" microseconds).
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def available_cpus() -> int:
    """The CPUs this process may use: its affinity mask, capped by the container's CPU quota
    (``os.cpu_count()`` reports the host's CPUs inside a container)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = CGROUP_CPU_MAX.read_text().split()
        if quota != "max":
            cpus = min(cpus, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        pass
    return max(cpus, 1)


def _live_front_end() -> bool:
    """True in a kernel that a person drives: one started by a Jupyter server (which names its
    session in ``JPY_SESSION_NAME``) or by Colab; false in batch execution."""
    import sys

    return "JPY_SESSION_NAME" in os.environ or "google.colab" in sys.modules


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
  var SLIDER_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End",
                     "PageUp", "PageDown"];
  if (data.frames.indexOf(null) >= 0) {  // the other frames are still being rendered
    inputs.forEach(function (input) { input.disabled = true; });
    play.disabled = true;
  } else {
    root.querySelector(".optlib-explorer-note").hidden = true;  // the sliders work
  }
  function update() {
    var frame = 0, values = [];
    inputs.forEach(function (input, p) {
      var i = parseInt(input.value, 10);
      frame += i * data.strides[p];
      shown[p].textContent = data.labels[p][i];
      values.push(data.names[p] + " = " + data.labels[p][i]);
    });
    if (data.frames[frame] === null) { return; }
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
    // keep the slider's own keys: a notebook's shortcuts would otherwise take them
    input.addEventListener("keydown", function (event) {
      if (SLIDER_KEYS.indexOf(event.key) >= 0) { event.stopPropagation(); }
    });
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

    def _combinations(self):
        """Every combination of parameter values, in row-major order of the grid."""
        names = list(self.params)
        return [
            dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(self.params[n] for n in names))
        ]

    def _start_index(self):
        """The position of the initial values in :meth:`_combinations`."""
        index = 0
        for name, values in self.params.items():
            index = index * len(values) + self.start[name]
        return index

    def frames(self) -> list[bytes]:
        """Every frame, in row-major order of the parameter grid, on the CPUs this process may
        use (:func:`available_cpus`).

        Frames are independent, so they are rendered by forked worker processes where the
        platform can fork (the draw function, often a notebook closure, is inherited, not
        pickled); elsewhere one after the other.
        """
        global _RENDERING
        combos = self._combinations()
        workers = min(available_cpus(), len(combos))
        if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return [self.render(**values) for values in combos]
        _RENDERING = (self, combos)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                return list(pool.map(_render_frame, range(len(combos))))
        finally:
            _RENDERING = None

    def to_html(self, frames=None) -> str:
        """The kernel-free rendering: the frames (by default every one, rendered now; ``None``
        for a frame not rendered yet, which disables the sliders) and sliders in plain
        JavaScript. The image shows the initial frame even where the JavaScript does not run."""
        names = list(self.params)
        sizes = [len(self.params[n]) for n in names]
        strides = [math.prod(sizes[p + 1 :]) for p in range(len(names))]
        if frames is None:
            frames = self.frames()
        frames = [None if png is None else base64.b64encode(png).decode("ascii") for png in frames]
        first = frames[self._start_index()]
        data = {
            "frames": frames,
            "strides": strides,
            "labels": [[self.fmt.format(v) for v in self.params[n]] for n in names],
            "names": [self.labels[n] for n in names],
            "alt": self.alt,
        }
        digest = hashlib.sha1(json.dumps(frames).encode()).hexdigest()[:12]
        uid = f"optlib-explorer-{digest}"
        waiting = frames.count(None)
        controls = "".join(
            f'<label style="display:inline-flex;align-items:center;gap:0.4em;margin-right:1.5em">'
            f"{html.escape(self.labels[n])}"
            f'<input type="range" min="0" max="{sizes[p] - 1}" step="1" value="{self.start[n]}">'
            f'<output style="min-width:3.5em;font-family:monospace"></output></label>'
            for p, n in enumerate(names)
        )
        note = (
            f"Rendering the other {waiting} frames; the sliders start when they are ready."
            if waiting
            else "The sliders need this cell's JavaScript: run the cell to use them."
        )
        return (
            f'<div class="optlib-explorer" id="{uid}">'
            f'<div class="optlib-explorer-controls" style="margin-bottom:0.4em">'
            f'<button type="button" style="margin-right:1.5em">&#9654; play</button>'
            f"{controls}</div>"
            f'<p class="optlib-explorer-note"><em>{html.escape(note)}</em></p>'
            f'<img alt="{html.escape(self.alt)}" src="data:image/png;base64,{first}" '
            f'style="max-width:100%;height:auto">'
            f'<script type="application/json" class="optlib-frames">{json.dumps(data)}</script>'
            f"</div>" + _SCRIPT % {"uid": uid}
        )

    def _ipython_display_(self):
        from IPython.display import display

        def show(frames, **options):
            return display({"text/html": self.to_html(frames)}, raw=True, **options)

        if not _live_front_end():
            show(None)
            return
        # A person is waiting: the initial frame now, the others from a background thread.
        combos = self._combinations()
        start = self._start_index()
        pending = [None] * len(combos)
        pending[start] = self.render(**combos[start])
        handle = show(pending, display_id=True)

        def render_the_rest():
            frames = [
                png or self.render(**values) for png, values in zip(pending, combos, strict=True)
            ]
            handle.update({"text/html": self.to_html(frames)}, raw=True)

        self._rendering = threading.Thread(target=render_the_rest, daemon=True)
        self._rendering.start()
