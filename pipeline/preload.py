"""What every page run starts from: the libraries page code uses, imported once in the fork server,
before any guard is on (imports may spawn programs or write caches, which a block's guard refuses).

pipeline.runner forks each page run from a process that imported this module, so a run does not pay
the seconds that importing torch and matplotlib take. Only imports and matplotlib's font cache: no
computation, so no thread pool exists yet when a child is forked.
"""

import contextlib
import io
import multiprocessing.spawn

import numpy  # noqa: F401

# A page run needs nothing from the parent's main script (pytest, mkdocs, a reader's script): never import
# or re-run it in the forked child, where a script without a __main__ guard would run itself again and a
# main read from stdin cannot be found. (The child's target is pipeline.runner._child_entry, found by name.)
multiprocessing.spawn._fixup_main_from_path = lambda path: None
multiprocessing.spawn._fixup_main_from_name = lambda name: None

with contextlib.suppress(ImportError):
    import torch  # noqa: F401

with contextlib.suppress(ImportError):
    import matplotlib.pyplot as plt

    plt.figure().savefig(io.BytesIO(), format="svg")  # builds the font cache now
    plt.close("all")
