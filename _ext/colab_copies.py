"""A Sphinx extension that points each chapter's Colab button at the chapter's Colab copy.

sphinx-book-theme's Colab button opens the page's notebook as it is in the repository, and Colab
shows its MyST directives and roles as raw text. ``make colab`` writes a plain-Markdown copy of
every chapter to ``colab/chapters/`` (tools/colab_notebooks.py); the button opens that copy.
"""

CHAPTERS, COPIES = "/chapters/", "/colab/chapters/"


def _to_colab_copy(app, pagename, templatename, context, doctree):
    if not pagename.startswith("chapters/"):
        return
    for group in context.get("header_buttons", []):
        for button in group.get("buttons", []) if group.get("label") == "launch-buttons" else []:
            if button.get("text") == "Colab":
                button["url"] = button["url"].replace(CHAPTERS, COPIES, 1)


def setup(app):
    # after sphinx-book-theme adds its launch buttons (at priority 501)
    app.connect("html-page-context", _to_colab_copy, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
