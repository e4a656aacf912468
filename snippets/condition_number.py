# Code of the Condition number page (docs/condition-number.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:definition]
import numpy as np


def cond(A: np.ndarray) -> np.ndarray:
    """2-norm condition number sigma_max / sigma_min of each matrix in a batch."""
    s = np.linalg.svd(A, compute_uv=False)
    return s[..., 0] / s[..., -1]


matrices, n, tol, singular, fraction = 200, 6, 1e-10, 1e-14, 0.99
rng = np.random.default_rng(0)
A = rng.normal(size=(matrices, n, n))
kappa = cond(A)
norms = np.linalg.norm(A, 2, axis=(1, 2)) * np.linalg.norm(np.linalg.inv(A), 2, axis=(1, 2))  # |A| |A^-1|
M = rng.normal(size=(matrices, n, n))
H = M @ M.transpose(0, 2, 1) + 0.1 * np.eye(n)  # symmetric positive definite, like a Hessian at a minimum
eig = np.linalg.eigvalsh(H)
# kappa is the worst amplification of a relative error: solve A x = b with b perturbed by db.
U, s, Vt = np.linalg.svd(A)
trials = 1000
b, db = rng.normal(size=(matrices, trials, n)), rng.normal(size=(matrices, trials, n))
x, dx = (np.linalg.solve(A[:, None], v[..., None])[..., 0] for v in (b, db))
amplification = (np.linalg.norm(dx, axis=-1) / np.linalg.norm(x, axis=-1)) / (
    np.linalg.norm(db, axis=-1) / np.linalg.norm(b, axis=-1)
)
worst_b, worst_db = U[:, :, 0], U[:, :, -1]  # b along the top left singular vector, db along the bottom one
worst = (np.linalg.norm(np.linalg.solve(A, worst_db[..., None])[..., 0], axis=-1)) / (
    np.linalg.norm(np.linalg.solve(A, worst_b[..., None])[..., 0], axis=-1)
)
share = (amplification / kappa[:, None]).max(axis=1)
# 1 / kappa is the relative distance to the nearest singular matrix (Eckart-Young): the rank-one change
# dA = -sigma_min u_min v_min^T makes A singular, and no change of smaller 2-norm does (Weyl's inequality).
dA = -s[:, -1, None, None] * U[:, :, -1:] * Vt[:, -1:, :]
distance = np.linalg.norm(dA, 2, axis=(1, 2)) / np.linalg.norm(A, 2, axis=(1, 2))
left = np.linalg.svd(A + dA, compute_uv=False)[:, -1] / s[:, 0]  # sigma_min of A + dA, relative to |A|
E = rng.normal(size=(matrices, trials // 100, n, n))
E *= (fraction * s[:, -1] / np.linalg.norm(E, 2, axis=(2, 3)).T).T[..., None, None]  # random, |E| = 0.99 |dA|
smallest = np.linalg.svd(A[:, None] + E, compute_uv=False)[..., -1]
print(
    f"{matrices} random {n}x{n} matrices: kappa from {kappa.min():.1f} to {kappa.max():,.0f}"
    f" (median {np.median(kappa):.0f})"
)
print(f"random perturbations reach at most {share.max():.0%} of kappa, median {np.median(share):.0%}")
print(f"nearest singular matrix at relative distance 1 / kappa; {E.shape[1]} random changes of {fraction} of it each")
# claim: cond-definition [matrices=matrices perturbations=matrices*trials]
assert np.allclose(norms, kappa, rtol=tol, atol=0) and np.allclose(np.linalg.cond(A), kappa, rtol=tol, atol=0)
assert np.allclose(cond(H), eig[:, -1] / eig[:, 0], rtol=tol, atol=0)  # positive definite: lambda_max / lambda_min
assert np.all(amplification <= kappa[:, None] * (1 + tol))  # never more than kappa...
assert np.allclose(worst, kappa, rtol=tol, atol=0)  # ...and exactly kappa in the worst case
assert (
    np.allclose(distance, 1 / kappa, rtol=tol, atol=0) and left.max() < singular
)  # A + dA singular, |dA| = |A| / kappa
assert np.all(smallest >= (1 - fraction) * s[:, -1, None] * (1 - tol))  # Weyl: a smaller change never does
# --8<-- [end:definition]

# --8<-- [start:torch]
import torch


def least_squares(x: torch.Tensor, A: torch.Tensor) -> torch.Tensor:
    """|A x - b|^2 / 2 with b = 1 for each problem of a batch: its Hessian is A^T A, whatever b is."""
    return ((torch.einsum("pij,pj->pi", A, x) - 1) ** 2).sum(-1) / 2


def hessians(loss, x: torch.Tensor, *args) -> torch.Tensor:  # noqa: ANN001, ANN002
    """Hessians of independent problems (one per row of x) by autograd: one double backward per coordinate."""
    x = x.detach().requires_grad_()
    g = torch.autograd.grad(loss(x, *args).sum(), x, create_graph=True)[0]
    return torch.stack([torch.autograd.grad(g[:, i].sum(), x, retain_graph=True)[0] for i in range(x.shape[1])], 1)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
squared_tol = 1e-8  # kappa(A^T A) = kappa(A)^2: its smallest eigenvalue carries about log10 kappa^2 fewer digits
for device in devices:
    At = torch.tensor(A, device=device)
    gap_cond = np.abs(torch.linalg.cond(At).cpu().numpy() / kappa - 1).max()
    normal = hessians(least_squares, torch.zeros(matrices, n, device=device, dtype=At.dtype), At)
    lam = torch.linalg.eigvalsh(normal).cpu().numpy()
    gap_normal = np.abs(normal.cpu().numpy() - A.transpose(0, 2, 1) @ A).max() / np.abs(A).max() ** 2
    gap_squared = np.abs(lam[:, -1] / lam[:, 0] / kappa**2 - 1).max()
    print(f"{device}: torch.linalg.cond matches numpy to below {tol:.0e}")
    print(f"{device}: the autograd Hessian is A^T A, and its condition number kappa(A)^2 to below {squared_tol:.0e}")
    # claim: cond-torch [matrices=matrices devices=devices]
    assert gap_cond < tol and gap_normal < tol and gap_squared < squared_tol
# --8<-- [end:torch]

# --8<-- [start:rates]
import numpy as np


def steps_to(curv: np.ndarray, x0: np.ndarray, lr: float, beta: float, eps: float, cap: int) -> np.ndarray:
    """Steps of heavy ball x+ = x - lr curv x + beta (x - x_prev) until |x| <= eps |x0|, per row (beta = 0: GD)."""
    x_prev = x = x0.copy()
    norm0, done = np.linalg.norm(x0, axis=-1), np.full(len(x0), cap)
    for t in range(1, cap + 1):
        x, x_prev = x - lr * curv * x + beta * (x - x_prev), x
        done = np.where((done == cap) & (np.linalg.norm(x, axis=-1) <= eps * norm0), t, done)
        if np.all(done < cap):
            break
    return done


def first_below(envelope: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The first t at which envelope[t] <= level, for each level (envelope decreasing from t = 1 on)."""
    return np.argmax(envelope[None, 1:] <= np.atleast_1d(level)[:, None], axis=1) + 1


kappas, seeds, dim, mu, eps, cap = np.array([10, 30, 100, 300, 1000, 3000]), 20, 10, 1.0, 1e-6, 100_000
slope_tol, median_share = 0.05, 0.9
rng = np.random.default_rng(1)
gd, hb, bounds = [], [], []
t = np.arange(cap + 1)
for kappa in kappas:
    L = kappa * mu
    curv = rng.uniform(mu, L, (seeds, dim))
    curv[:, :2] = [mu, L]  # each problem has exactly this condition number
    x0 = rng.normal(size=(seeds, dim))
    gd.append(steps_to(curv, x0, 2 / (L + mu), 0.0, eps, cap))  # best fixed step
    q = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    hb.append(steps_to(curv, x0, 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, q**2, eps, cap))  # Polyak's tuning
    rho = (kappa - 1) / (kappa + 1)
    flat = eps * np.linalg.norm(x0, axis=1) / np.abs(x0[:, 0])  # how far the component along mu must shrink
    bounds.append(  # GD: rho^t on every component; heavy ball: (1 + (1 -+ q) t) q^t on the flattest / any component
        [
            first_below(rho**t, flat),
            first_below(rho**t, eps),
            first_below((1 + (1 - q) * t) * q**t, flat),
            first_below((1 + (1 + q) * t) * q**t, eps),
        ]
    )
gd, hb = np.array(gd), np.array(hb)  # steps per kappa and problem
gd_low, gd_high, hb_low, hb_high = (np.array(b) for b in zip(*bounds, strict=True))
gd_med, hb_med = np.median(gd, axis=1), np.median(hb, axis=1)
slope_gd, slope_hb = (np.polyfit(np.log(kappas), np.log(v), 1)[0] for v in (gd_med, hb_med))
gd_share = gd / gd_high  # each problem's steps against the worst case the rate allows
for k, g, h in zip(kappas, gd_med, hb_med, strict=True):
    print(f"kappa = {k:5d}: gradient descent {g:7.0f} steps, heavy ball {h:5.0f} steps (medians)")
print(f"log-log slopes: gradient descent {slope_gd:.3f}, heavy ball {slope_hb:.3f}")
print(
    f"every problem within its bounds; gradient descent: {gd_share.min():.0%} to {gd_share.max():.0%} of the worst case"
)
# claim: cond-rates [problems=seeds*kappas.size]
assert np.all(gd < cap) and np.all(hb < cap)
assert abs(slope_gd - 1) < slope_tol and abs(slope_hb - 0.5) < slope_tol
assert np.all(gd >= gd_low) and np.all(gd <= gd_high)  # per problem, between the flattest component and rho^t
assert np.all(hb >= hb_low) and np.all(hb <= hb_high)  # the same for heavy ball's envelope
assert np.all(np.median(gd_share, axis=1) >= median_share)  # the median problem needs at least 0.9 of the worst case
# --8<-- [end:rates]

# --8<-- [start:figure]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(kappas, gd_med, "o-", color="C0", label=f"gradient descent (slope {slope_gd:.2f})")
ax.loglog(kappas, hb_med, "s-", color="C3", label=f"heavy ball, Polyak's tuning (slope {slope_hb:.2f})")
ax.loglog(kappas, gd_high[:, 0], ":", color="C0", label="worst case: first t with ((κ-1)/(κ+1))^t ≤ ε")
ax.loglog(kappas, hb_med[0] * np.sqrt(kappas / kappas[0]), ":", color="C3", label="slope 1/2")
ax.set(xlabel="condition number κ", ylabel=f"steps to shrink the error {1 / eps:.0e}-fold")
ax.legend()
fig.tight_layout()
fig.savefig("condition-number-steps.svg")
assert np.all(np.diff(gd_med) > 0) and np.all(np.diff(hb_med) > 0) and np.all(hb_med < gd_med)  # the alt text
assert np.all(np.abs(gd_med / gd_high[:, 0] - 1) < 0.1)  # gradient descent's medians sit on the dotted curve
# --8<-- [end:figure]

# --8<-- [start:jacobi]
import numpy as np


def kappa_of(H: np.ndarray) -> np.ndarray:
    """lambda_max / lambda_min of each symmetric positive definite matrix."""
    eig = np.linalg.eigvalsh(H)
    return eig[..., -1] / eig[..., 0]


def jacobi(H: np.ndarray) -> np.ndarray:
    """D^-1/2 H D^-1/2 with D = diag(H): the Hessian after rescaling each coordinate to unit curvature."""
    s = 1 / np.sqrt(np.diagonal(H, axis1=-2, axis2=-1))
    return s[..., :, None] * H * s[..., None, :]


def gd_steps(H: np.ndarray, x0: np.ndarray, eps: float, cap: int) -> np.ndarray:
    """Steps of gradient descent at its best fixed step 2 / (lambda_min + lambda_max) until |x| <= eps |x0|,
    run in H's eigenbasis, where each step multiplies coordinate i by 1 - lr lambda_i."""
    eig, V = np.linalg.eigh(H)
    factor = 1 - 2 / (eig[:, :1] + eig[:, -1:]) * eig
    y, norm0, done = np.einsum("pji,pj->pi", V, x0), np.linalg.norm(x0, axis=-1), np.full(len(x0), cap)
    for t in range(1, cap + 1):
        y = factor * y
        done = np.where((done == cap) & (np.linalg.norm(y, axis=-1) <= eps * norm0), t, done)
        if np.all(done < cap):
            break
    return done


def wilson(hits: int, n: int, z: float) -> tuple[float, float]:
    """Wilson interval for a rate of hits out of n (z = 1.96 for 95%)."""
    centre, half = (hits + z**2 / 2) / (n + z**2), z * np.sqrt(hits * (n - hits) / n + z**2 / 4) / (n + z**2)
    return centre - half, centre + half


problems, dim, spread, eps, cap = 200, 10, 0.75, 1e-6, 100_000
fewer, always, kept, median_kept, level, z = 10, 2, 0.2, 0.5, 0.95, 1.96
rng = np.random.default_rng(2)
M = rng.normal(size=(problems, 3 * dim, dim))
C = M.transpose(0, 2, 1) @ M / (3 * dim)  # well conditioned, near the identity
scale = 10 ** rng.uniform(-spread, spread, (problems, dim))  # badly scaled coordinates
H = scale[:, :, None] * C * scale[:, None, :]
Q = np.linalg.qr(rng.normal(size=(problems, dim, dim)))[0]
rotated = Q @ (np.linalg.eigvalsh(H)[..., None] * Q.transpose(0, 2, 1))  # the same eigenvalues, turned
x0 = rng.normal(size=(problems, dim))
before, after = kappa_of(H), kappa_of(jacobi(H))
steps_before, steps_after = gd_steps(H, x0, eps, cap), gd_steps(jacobi(H), x0, eps, cap)
turned = kappa_of(jacobi(rotated)) / kappa_of(rotated)
big = before / after > fewer
low, high = wilson(big.sum(), problems, z)
print(f"badly scaled: kappa {np.median(before):,.0f} -> {np.median(after):.1f} with Jacobi (medians)")
print(f"gradient descent steps: {np.median(steps_before):,.0f} -> {np.median(steps_after):.0f} (medians)")
print(
    f"kappa divided by more than {fewer} on {big.mean():.0%} of problems ({level:.0%} interval {low:.0%} to {high:.0%})"
)
print(f"same eigenvalues, rotated: Jacobi keeps {turned.min():.0%} to {turned.max():.0%} of kappa", end="")
print(f" (median {np.median(turned):.0%}) and raises it on {(turned > 1).mean():.0%} of problems")
# claim: cond-jacobi [problems=problems]
assert np.all(steps_before < cap)
assert low > 0.9 and np.all(before / after > always) and np.all(steps_before / steps_after > always)
assert np.median(before / after) > 5 * fewer and np.median(steps_before / steps_after) > 5 * fewer
assert turned.min() > kept and np.median(turned) > median_kept and np.any(turned > 1)  # no rescue when rotated
# --8<-- [end:jacobi]

# --8<-- [start:determinant]
import numpy as np


def bidiagonal(n: int) -> np.ndarray:
    """Golub & Van Loan's B_n: ones on the diagonal, -1 everywhere above it. Its determinant is 1."""
    return np.eye(n) - np.triu(np.ones((n, n)), 1)


sizes, alpha = [5, 10, 20, 30], 0.1
rows = []
for n in sizes:
    B, D = bidiagonal(n), alpha * np.eye(n)
    rows.append(
        (n, np.linalg.det(B), np.linalg.cond(B), np.linalg.det(D), np.linalg.cond(D), np.linalg.cond(B, np.inf))
    )
    print(
        f"n = {n:2d}: det(B_n) = {rows[-1][1]:.0f}, cond(B_n) = {rows[-1][2]:.1e} (in the inf-norm {rows[-1][5]:.2e}); "
        f"det({alpha} I) = {rows[-1][3]:.0e}, cond = {rows[-1][4]:.0f}"
    )
det_b, cond_b, det_d, cond_d, cond_inf = (np.array(v) for v in list(zip(*rows, strict=True))[1:])
n = np.array(sizes)
# claim: cond-determinant [sizes=len(sizes)]
assert np.allclose(det_b, 1, rtol=1e-12, atol=0) and cond_b[-1] > 1e8  # determinant one, ill-conditioned
assert np.allclose(cond_inf, n * 2.0 ** (n - 1), rtol=1e-10, atol=0)  # GVL's kappa_inf(B_n) = n 2^(n-1)
assert np.all(cond_b >= cond_inf / n)  # kappa_2 >= kappa_inf / n = 2^(n-1): exponential growth
assert np.allclose(det_d, alpha**n, rtol=1e-12, atol=0)  # determinant tiny...
assert np.allclose(cond_d, 1, rtol=1e-12, atol=0)  # ...and perfectly conditioned
# --8<-- [end:determinant]
