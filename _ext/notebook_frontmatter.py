"""A Sphinx extension that lets a notebook open with MyST front matter, for JupyterLab's sake.

In JupyterLab, jupyterlab-myst reads a page's options from a YAML block at the top of the first
cell; the chapters use it to switch off its own equation numbers, which would otherwise sit
beside the book's (2.7)-style tags. MyST-NB reads a notebook's options from its metadata instead
and would take the block for a transition line, so this removes the block before MyST-NB parses
the notebook. Nothing else in the notebook changes.
"""

import json
import re

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def _strip_front_matter(app, docname, source):
    if not str(app.env.doc2path(docname)).endswith(".ipynb"):
        return
    nb = json.loads(source[0])
    first = nb["cells"][0] if nb["cells"] else None
    if first and first["cell_type"] == "markdown":
        text = "".join(first["source"])
        if _FRONT_MATTER.match(text):
            first["source"] = _FRONT_MATTER.sub("", text, count=1)
            source[0] = json.dumps(nb)


def setup(app):
    app.connect("source-read", _strip_front_matter)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
