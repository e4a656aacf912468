# Code of the Condition number page (docs/condition-number.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:definition]
import numpy as np


def cond(A: np.ndarray) -> np.ndarray:
    """2-norm condition number sigma_max / sigma_min of each matrix in a batch."""
    s = np.linalg.svd(A, compute_uv=False)
    return s[..., 0] / s[..., -1]


matrices, n, tol = 200, 6, 1e-10
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
print(
    f"{matrices} random {n}x{n} matrices: kappa from {kappa.min():.1f} to {kappa.max():,.0f}"
    f" (median {np.median(kappa):.0f})"
)
print(f"random perturbations reach at most {share.max():.0%} of kappa, median {np.median(share):.0%}")
# claim: cond-definition [matrices=matrices perturbations=matrices*trials]
assert np.allclose(norms, kappa, rtol=tol) and np.allclose(np.linalg.cond(A), kappa, rtol=tol)
assert np.allclose(cond(H), eig[:, -1] / eig[:, 0], rtol=tol)  # symmetric positive definite: lambda_max / lambda_min
assert np.all(amplification <= kappa[:, None] * (1 + tol))  # never more than kappa...
assert np.allclose(worst, kappa, rtol=tol)  # ...and exactly kappa in the worst case
# --8<-- [end:definition]

# --8<-- [start:torch]
import torch

devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    At, Ht = torch.tensor(A, device=device), torch.tensor(H, device=device)
    gap_cond = (torch.linalg.cond(At).cpu().numpy() / kappa - 1).__abs__().max()
    # The Hessian of the quadratic x^T H x / 2, by autograd, has the same condition number as H.
    hessians = torch.stack(
        [torch.func.hessian(lambda v, h=h: v @ h @ v / 2)(torch.zeros(n, device=device, dtype=h.dtype)) for h in Ht]
    )
    lam = torch.linalg.eigvalsh(hessians).cpu().numpy()
    gap_hessian = np.abs(lam[:, -1] / lam[:, 0] / cond(H) - 1).max()
    print(f"{device}: torch.linalg.cond and the autograd Hessian's eigenvalue ratio match numpy to below {tol:.0e}")
    # claim: cond-torch [matrices=matrices devices=devices]
    assert gap_cond < tol and gap_hessian < tol
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


kappas, seeds, dim, mu, eps, cap, slope_tol = np.array([10, 30, 100, 300, 1000, 3000]), 20, 10, 1.0, 1e-6, 100_000, 0.05
rng = np.random.default_rng(1)
gd, hb = [], []
for kappa in kappas:
    L = kappa * mu
    curv = rng.uniform(mu, L, (seeds, dim))
    curv[:, :2] = [mu, L]  # each problem has exactly this condition number
    x0 = rng.normal(size=(seeds, dim))
    gd.append(np.median(steps_to(curv, x0, 2 / (L + mu), 0.0, eps, cap)))  # best fixed step
    q = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    hb.append(np.median(steps_to(curv, x0, 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, q**2, eps, cap)))  # Polyak's tuning
gd, hb = np.array(gd), np.array(hb)
slope_gd, slope_hb = (np.polyfit(np.log(kappas), np.log(v), 1)[0] for v in (gd, hb))
theory_gd = np.log(1 / eps) / np.log((kappas + 1) / (kappas - 1))  # ln(1/eps) / ln(1/rho_GD)
for k, g, h in zip(kappas, gd, hb, strict=True):
    print(f"kappa = {k:5d}: gradient descent {g:7.0f} steps, heavy ball {h:5.0f} steps")
print(f"log-log slopes: gradient descent {slope_gd:.3f}, heavy ball {slope_hb:.3f}")
# claim: cond-rates [problems=seeds*kappas.size]
assert np.all(gd < cap) and np.all(hb < cap)
assert abs(slope_gd - 1) < slope_tol and abs(slope_hb - 0.5) < slope_tol
assert np.all(gd <= np.ceil(theory_gd)) and np.all(gd >= 0.9 * theory_gd)  # the rate (kappa-1)/(kappa+1), met
# --8<-- [end:rates]

# --8<-- [start:figure]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.loglog(kappas, gd, "o-", color="C0", label=f"gradient descent (slope {slope_gd:.2f})")
ax.loglog(kappas, hb, "s-", color="C3", label=f"heavy ball, Polyak's tuning (slope {slope_hb:.2f})")
ax.loglog(kappas, theory_gd, ":", color="C0", label="ln(1/ε) / ln((κ+1)/(κ-1))")
ax.loglog(kappas, hb[0] * np.sqrt(kappas / kappas[0]), ":", color="C3", label="slope 1/2")
ax.set(xlabel="condition number κ", ylabel=f"steps to shrink the error {1 / eps:.0e}-fold")
ax.legend()
fig.tight_layout()
fig.savefig("condition-number-steps.svg")
assert np.all(np.diff(gd) > 0) and np.all(np.diff(hb) > 0) and np.all(hb < gd)  # what the alt text says
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
    """Steps of gradient descent at its best fixed step 2 / (lambda_min + lambda_max) until |x| <= eps |x0|."""
    eig = np.linalg.eigvalsh(H)
    lr = 2 / (eig[:, 0] + eig[:, -1])
    x, norm0, done = x0.copy(), np.linalg.norm(x0, axis=-1), np.full(len(x0), cap)
    for t in range(1, cap + 1):
        x = x - lr[:, None] * np.einsum("pij,pj->pi", H, x)
        done = np.where((done == cap) & (np.linalg.norm(x, axis=-1) <= eps * norm0), t, done)
        if np.all(done < cap):
            break
    return done


problems, dim, spread, eps, cap, fewer, kept = 20, 10, 0.75, 1e-6, 100_000, 10, 0.2
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
print(f"badly scaled: kappa {np.median(before):,.0f} -> {np.median(after):.1f} with Jacobi (medians)")
print(f"gradient descent steps: {np.median(steps_before):,.0f} -> {np.median(steps_after):.0f} (medians)")
print(f"same eigenvalues, rotated: Jacobi keeps between {turned.min():.0%} and {turned.max():.0%} of kappa")
# claim: cond-jacobi [problems=problems]
assert np.all(steps_before < cap)
assert np.all(after < before / fewer) and np.all(steps_after < steps_before / fewer)  # every problem
assert turned.min() > kept  # no rescue where the bad conditioning is not in the scales
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
    rows.append((n, np.linalg.det(B), np.linalg.cond(B), np.linalg.det(D), np.linalg.cond(D)))
    print(
        f"n = {n:2d}: det(B_n) = {rows[-1][1]:.0f}, cond(B_n) = {rows[-1][2]:.1e}; "
        f"det({alpha} I) = {rows[-1][3]:.0e}, cond = {rows[-1][4]:.0f}"
    )
det_b, cond_b, det_d, cond_d = (np.array(v) for v in list(zip(*rows, strict=True))[1:])
# claim: cond-determinant [sizes=len(sizes)]
assert np.allclose(det_b, 1) and np.all(np.diff(np.log(cond_b)) > 0) and cond_b[-1] > 1e8  # det 1, ill-conditioned
assert np.allclose(det_d, alpha ** np.array(sizes)) and np.allclose(cond_d, 1)  # det tiny, perfectly conditioned
# --8<-- [end:determinant]
