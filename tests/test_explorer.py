"""The explorer: one kernel-free HTML view, shown at once in a live notebook and completed from a
background thread, rendered whole in batch execution, on the CPUs the process may use."""

import base64
import json
import re

import pytest

import optlib.explorer
from optlib.explorer import Explorer, available_cpus


def draw(fig, a, b):
    ax = fig.subplots()
    ax.plot([0, 1], [0, a * b])
    ax.set_ylim(0, 10)


def make(**kwargs):
    return Explorer(draw, {"a": [1, 2, 3], "b": [1, 2]}, alt="a line of slope a·b", **kwargs)


def frames_of(html):
    payload = re.search(r'class="optlib-frames">(.*?)</script>', html).group(1)
    return json.loads(payload)


def test_html_holds_one_png_per_combination_in_row_major_order():
    explorer = make(labels={"a": "slope"}, initial={"a": 3})
    html = explorer.to_html()
    data = frames_of(html)
    assert len(data["frames"]) == explorer.frame_count == 6
    assert data["strides"] == [2, 1]
    assert data["labels"] == [["1", "2", "3"], ["1", "2"]]
    for frame in data["frames"]:
        assert base64.b64decode(frame).startswith(b"\x89PNG")
    # frame (a=2, b=2) is the render of those values, and differs from (a=1, b=1)
    assert base64.b64decode(data["frames"][1 * 2 + 1]) == explorer.render(a=2, b=2)
    assert data["frames"][0] != data["frames"][3]
    assert html.count('type="range"') == 2 and "play</button>" in html
    assert 'value="2"' in html  # initial a = 3 is index 2
    assert "slope" in html


def test_rendering_is_deterministic():
    assert make().to_html() == make().to_html()


def test_the_initial_frame_shows_even_without_javascript():
    explorer = make(initial={"a": 3, "b": 1})
    html = explorer.to_html()
    initial = base64.b64encode(explorer.render(a=3, b=1)).decode()
    assert f'src="data:image/png;base64,{initial}"' in html
    assert "run the cell to use them" in html  # the note the script hides


class Shown:
    """Stands in for IPython's display: records what is shown and each update of it."""

    def __init__(self):
        self.outputs, self.updates = [], []

    def display(self, bundle, raw, display_id=None):
        self.outputs.append(bundle["text/html"])
        return self if display_id else None

    def update(self, bundle, raw):
        self.updates.append(bundle["text/html"])


@pytest.fixture
def shown(monkeypatch):
    record = Shown()
    monkeypatch.setattr("IPython.display.display", record.display)
    return record


def test_batch_execution_shows_every_frame_before_the_cell_ends(shown, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    make()._ipython_display_()
    assert len(shown.outputs) == 1 and not shown.updates
    assert None not in frames_of(shown.outputs[0])["frames"]


def test_a_live_notebook_shows_the_initial_frame_at_once_and_the_rest_when_ready(
    shown, monkeypatch
):
    monkeypatch.setenv("JPY_SESSION_NAME", "chapter.ipynb")
    renders = []
    explorer = make(initial={"a": 2, "b": 2})
    render = explorer.render
    monkeypatch.setattr(explorer, "render", lambda **v: renders.append(v) or render(**v))
    explorer._ipython_display_()
    assert renders[0] == {"a": 2, "b": 2}
    first = frames_of(shown.outputs[0])["frames"]
    assert first.count(None) == 5 and first[1 * 2 + 1] is not None
    assert "Rendering the other 5 frames" in shown.outputs[0]
    explorer._rendering.join(timeout=60)
    assert len(renders) == 6  # the initial frame is not rendered twice
    assert len(shown.updates) == 1 and shown.updates[0] == make(initial={"a": 2, "b": 2}).to_html()


def test_the_cpus_are_those_granted_to_the_process(monkeypatch, tmp_path):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(optlib.explorer, "CGROUP_CPU_MAX", tmp_path / "missing")
    assert available_cpus() == 4
    quota = tmp_path / "cpu.max"
    quota.write_text("150000 100000\n")  # 1.5 CPUs of quota
    monkeypatch.setattr(optlib.explorer, "CGROUP_CPU_MAX", quota)
    assert available_cpus() == 2
    quota.write_text("max 100000\n")
    assert available_cpus() == 4


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"draw": 3, "params": {"a": [1]}}, TypeError, "draw must be callable"),
        ({"draw": draw, "params": {}}, ValueError, "params must be a non-empty dict"),
        ({"draw": draw, "params": {"a": []}}, ValueError, r"params\['a'\]"),
        ({"draw": draw, "params": {"a": list(range(401))}}, ValueError, "at most 400"),
        ({"draw": draw, "params": {"a": [1]}, "labels": {"z": "?"}}, ValueError, "labels"),
        ({"draw": draw, "params": {"a": [1]}, "initial": {"a": 5}}, ValueError, "initial"),
        ({"draw": draw, "params": {"a": [1]}, "alt": "  "}, ValueError, "alt must say"),
    ],
)
def test_bad_input_is_named(kwargs, error, match):
    kwargs.setdefault("alt", "a line")
    with pytest.raises(error, match=match):
        Explorer(**kwargs)


def test_the_figure_is_described_with_the_values_it_shows():
    data = frames_of(make(labels={"a": "slope"}).to_html())
    assert data["alt"] == "a line of slope a·b" and data["names"] == ["slope", "b"]
