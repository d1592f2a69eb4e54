"""A Sphinx extension that lets optlib's docstrings be written for readers of the source.

They use | for absolute values, as in |λᵢ| or |φ'(0)|, which reStructuredText would take for a
substitution; this escapes every | outside code (doctest lines and literal blocks), before
napoleon and autodoc parse the docstring.
"""


def _escape_bars(app, what, name, obj, options, lines):
    literal_indent = None  # the indentation of the "::" paragraph a literal block belongs to
    for k, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if literal_indent is not None:
            if stripped and indent <= literal_indent:
                literal_indent = None
            else:
                continue
        if stripped.startswith((">>>", "...")):
            continue
        lines[k] = line.replace("|", r"\|")
        if stripped.endswith("::"):
            literal_indent = indent


def setup(app):
    app.connect("autodoc-process-docstring", _escape_bars, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
