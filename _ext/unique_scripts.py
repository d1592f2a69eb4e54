"""A Sphinx extension that drops repeated script entries from every HTML page.

sphinx-thebe 0.3.1 registers its inline configuration (``const THEBE_JS_URL = ...``) each time
Sphinx reads the sources; when a build reads them twice the page declares the constant twice and
the browser reports a SyntaxError. Keeping the first of identical entries fixes that.
"""


def _drop_repeated_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # an inline script is registered with filename None or "" depending on the route
        key = (script.filename or "", repr(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique


def setup(app):
    # last, after the handlers that add page scripts
    app.connect("html-page-context", _drop_repeated_scripts, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
