"""Sphinx configuration of the nets site: MyST markdown, myst-nb notebooks executed at build, autodoc."""

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `import nets` and `experiments` from this checkout, installed or not.
os.environ.setdefault("JAX_PLATFORMS", "cpu")  # lessons run anywhere; a build needs no accelerator.
# The lessons' kernels are child processes: they import this checkout's nets too.
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])

project = "nets"
author = "the nets authors"
copyright = "2026, the nets authors"  # noqa: A001 - Sphinx's name.

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.viewcode", "sphinx.ext.mathjax"]
source_suffix = {".md": "myst-nb", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "figures", "bench", "stream", "**.ipynb_checkpoints", "lessons/_*"]
root_doc = "index"

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
myst_update_mathjax = False  # its ignore-classes are for MathJax 3; the site serves MathJax 2 (below)

# Lessons run at every build that changed them (jupyter-cache under _build); a failed cell fails the build.
nb_execution_mode = "cache"
nb_execution_cache_path = str(Path(__file__).parent / "_build" / ".jupyter_cache")
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
autodoc_member_order = "bysource"
autodoc_typehints = "description"

html_theme = "sphinx_book_theme"
html_title = "nets"
html_favicon = "favicon.svg"  # also keeps the browser from asking for a missing /favicon.ico
# MathJax from an installed package (MathJax 2.7, jupyter-server-mathjax), not a CDN: the site builds and
# reads offline, and the browser test sees no failed request.
import jupyter_server_mathjax  # noqa: E402

html_static_path = [str(Path(jupyter_server_mathjax.__file__).parent / "static")]
mathjax_path = "MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
mathjax2_config = {
  "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]},
  # MathML drawn by the browser itself: no web fonts to fetch (HTML-CSS output probes one at about:blank,
  # a console error in every browser).
  "jax": ["input/TeX", "output/NativeMML"],
  "HTML-CSS": {"availableFonts": [], "webFont": "STIX-Web", "imageFont": None},  # if it loads: fonts it has
  "MMLorHTML": {"prefer": "MML"},
  "menuSettings": {"renderer": "NativeMML"},
}
html_context = {"default_mode": "light"}  # an empty mode is a console error on a first visit
html_theme_options = {
  "use_download_button": True,
  "show_toc_level": 2,
}

# The library's docstrings are plain text written for `help()`, not reStructuredText: an indented formula
# under a sentence, `|v|`, `*` as multiplication. Read them as what they are, so a docstring never breaks
# the build: `x` is code, and an indented block is set off by blank lines (a quotation, shown indented).
default_role = "literal"


def _indent(line: str) -> int:
  return len(line) - len(line.lstrip())


def plain_docstring(app, what, name, obj, options, lines):
  out = []
  for line in lines:
    previous = out[-1] if out else ""
    if line.strip() and previous.strip() and _indent(line) != _indent(previous):
      out.append("")  # A change of indentation starts a new block, as a reader of the plain text sees it.
    out.append(line.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*"))
  lines[:] = out


def copy_executed_notebooks(app, exception):
  """Each lesson, as executed for this build, beside its page: lessons/NAME.ipynb (the download link)."""
  if exception is None and app.builder.format == "html":
    executed = Path(app.outdir).parent / "jupyter_execute" / "lessons"
    for notebook in sorted(executed.glob("*.ipynb")):
      shutil.copyfile(notebook, Path(app.outdir) / "lessons" / notebook.name)


def setup(app):
  app.connect("autodoc-process-docstring", plain_docstring)
  app.connect("build-finished", copy_executed_notebooks)
