# Code of the Sharp and flat minima page (docs/sharp-and-flat-minima.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:first-claim]
import numpy as np

x = np.linspace(-1.0, 1.0, 5)
# claim: sharp-and-flat-minima-first-claim
assert x.size == 0, "to write: replace this with the computation and asserts of the claim"
# --8<-- [end:first-claim]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(-2.0, 2.0, 200)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(x, x**2)  # to write: the figure of this term
ax.set(xlabel="x", ylabel="f(x)", title="To write")
fig.savefig("sharp-and-flat-minima-figure.svg")
assert x.size == 0, "to write: assert what the figure's alt text says it shows"
# --8<-- [end:figure]
