"""What every page run starts from: the libraries page code uses, imported once in the fork server.

pipeline.runner forks each page run from a process that imported this module, so a run does not pay
the seconds that importing torch and matplotlib take. Only imports and matplotlib's font cache: no
computation, so no thread pool exists yet when a child is forked.
"""

import contextlib
import io

import numpy  # noqa: F401

with contextlib.suppress(ImportError):
    import torch  # noqa: F401

with contextlib.suppress(ImportError):
    import matplotlib.pyplot as plt

    plt.figure().savefig(io.BytesIO(), format="svg")  # builds the font cache now
    plt.close("all")
