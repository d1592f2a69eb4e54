"""A Sphinx extension that gives each bibliography entry the list-item role its list expects.

Docutils writes the bibliography as ``<div role="list">`` holding ``<div role="doc-biblioentry">``
entries. ARIA 1.2 deprecates ``doc-biblioentry``, so assistive technology (and axe-core, whose
"aria-required-children" rule is critical) sees a list whose children are not list items. The
entries become ``role="listitem"``, which is what the list needs.
"""


def _entries_as_list_items(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _entries_as_list_items)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
