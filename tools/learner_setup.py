"""The learner's JupyterLab (Binder runs this from postBuild): the book, without the course tools.

    python -m tools.learner_setup [--level sys-prefix|user]

nbgrader is installed because the book's build and the course kit use it, but its JupyterLab
extensions are an instructor's tools (the Nbgrader menu, "Create Assignment", "Validate", the
formgrader): this switches them off, in JupyterLab and in the Jupyter server, by writing Jupyter
configuration at the given level (``sys-prefix``, the environment, in Binder; ``user``, that is
``$JUPYTER_CONFIG_DIR``, for a test). Settings already in those files are kept.
"""

import argparse
import json
import sys
from pathlib import Path

from jupyter_core.paths import jupyter_config_dir

#: JupyterLab extensions and Jupyter server extensions only an instructor needs.
LAB_EXTENSIONS = ["@jupyter/nbgrader"]
SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.validate_assignment",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
]
#: Named to load after nbgrader's own file in jupyter_server_config.d, which it overrides.
SERVER_CONFIG = "zz_optbook_learner.json"


def update_json(path, change):
    """Apply ``change`` to the JSON object in ``path`` (created if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text()) if path.exists() else {}
    change(data)
    path.write_text(json.dumps(data, indent=2) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", choices=["sys-prefix", "user"], default="sys-prefix")
    level = parser.parse_args(argv).level
    config = (
        Path(sys.prefix, "etc", "jupyter") if level == "sys-prefix" else Path(jupyter_config_dir())
    )
    update_json(
        config / "labconfig" / "page_config.json",
        lambda data: data.setdefault("disabledExtensions", {}).update(
            dict.fromkeys(LAB_EXTENSIONS, True)
        ),
    )
    update_json(
        config / "jupyter_server_config.d" / SERVER_CONFIG,
        lambda data: (
            data.setdefault("ServerApp", {})
            .setdefault("jpserver_extensions", {})
            .update(dict.fromkeys(SERVER_EXTENSIONS, False))
        ),
    )


if __name__ == "__main__":
    main()
