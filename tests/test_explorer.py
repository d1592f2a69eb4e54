"""The explorer's two views: the kernel-free HTML and the live widget."""

import base64
import json
import re

import pytest

from optlib.explorer import Explorer


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


def test_bundle_has_the_html_and_the_widget_view():
    bundle = make()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<div class="optlib-explorer"')
    assert "6 frames" in bundle["text/plain"]


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
