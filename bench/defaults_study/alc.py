"""Alchemite-style self-consistent imputing MLP ensemble (prototype of the C++ design)."""
import time, numpy as np, torch
from fastmm import mm

class ZW(torch.autograd.Function):  # Z (N,P) @ W (P,K) with oneDNN (torch here links reference BLAS)
    @staticmethod
    def forward(ctx, Z, W):
        ctx.save_for_backward(Z); return mm(Z, W)
    @staticmethod
    def backward(ctx, dY):
        Z, = ctx.saved_tensors
        return None, mm(Z.t().contiguous(), dY.contiguous())
torch.set_num_threads(1)  # machine is shared (load >10): 2 OpenMP threads spin-wait pathologically
DT = torch.float32

DEF = dict(H=8, M=50, lr=1e-2, lam=1e-4, l2="coupled", E0=500, K=4, Ep=125, g=0.5, tol=1e-3,
           conf=True, drop=0.0, std="z", seed=0)

class Ens:
    def __init__(s, Zobs, obs, cfg):
        c = s.c = {**DEF, **cfg}
        g = torch.Generator().manual_seed(c["seed"]); s.gen = g
        N, E = Zobs.shape; H, M = c["H"], c["M"]; s.N, s.E, s.H, s.M = N, E, H, M
        Pin = 2 * E if c["conf"] else E
        mask = torch.ones(Pin, E, H, dtype=DT)
        for j in range(E):
            mask[j, j] = 0
            if c["conf"]: mask[E + j, j] = 0
        s.mask = mask.reshape(Pin, 1, E * H).expand(Pin, M, E * H).reshape(Pin, M * E * H).contiguous()
        s.W1 = (torch.randn(Pin, M * E * H, generator=g, dtype=DT) / np.sqrt(Pin - (2 if c["conf"] else 1)) * s.mask).requires_grad_()
        s.b1 = torch.zeros(M * E * H, dtype=DT, requires_grad=True)
        s.W2 = (torch.randn(M, E, H, generator=g, dtype=DT) / np.sqrt(H)).requires_grad_()
        s.b2 = torch.zeros(M, E, dtype=DT, requires_grad=True)
        probs = torch.ones(N, dtype=torch.float64) / N
        s.boot = torch.stack([torch.bincount(torch.multinomial(probs, N, replacement=True, generator=g), minlength=N) for _ in range(M)]).to(DT)  # (M,N)
        s.obs = obs                                     # (N,E) bool training targets
        s.T = Zobs                                      # targets (0 where unobserved)
        w = s.boot.unsqueeze(-1) * obs.to(DT).unsqueeze(0)   # (M,N,E)
        s.w = (w / w.sum(1, keepdim=True).clamp_min(1.0)).transpose(0, 1).contiguous()  # (N,M,E) per-member per-column weighted mean
        if c["l2"] == "decoupled":
            s.opt = torch.optim.AdamW([{"params": [s.W1, s.W2], "weight_decay": c["lam"]},
                                       {"params": [s.b1, s.b2], "weight_decay": 0.0}], lr=c["lr"])
        else:
            s.opt = torch.optim.Adam([s.W1, s.b1, s.W2, s.b2], lr=c["lr"])

    def fwd(s, Zin):  # Zin (N, Pin) shared by all members -> (N, M, E)
        h = torch.tanh(ZW.apply(Zin, s.W1 * s.mask) + s.b1)
        return (h.reshape(Zin.shape[0], s.M, s.E, s.H) * s.W2).sum(-1) + s.b2

    def train(s, Zin, epochs, cb=None, every=0):
        c = s.c; lam = c["lam"] if c["l2"] == "coupled" else 0.0
        for ep in range(epochs):
            X = Zin
            if c["drop"] > 0:  # hide a fraction of OBSERVED input cells (value 0, confidence 0); same mask for all members this epoch
                d = (torch.rand(s.N, s.E, generator=s.gen) < c["drop"]) & s.obs
                keep = (~d).to(DT)
                if c["conf"]: keep = torch.cat([keep, keep], -1)
                X = X * keep
            s.opt.zero_grad()
            y = s.fwd(X)
            loss = (((y - s.T.unsqueeze(1)) ** 2) * s.w).sum()
            if lam > 0: loss = loss + lam * ((s.W1 ** 2).sum() + (s.W2 ** 2).sum())
            loss.backward(); s.opt.step()
            if cb is not None and every and (ep + 1) % every == 0: cb()

    @torch.no_grad()
    def predict(s, Zin):
        y = s.fwd(Zin); return y.mean(1), y.std(1)


def impute(Xm, cfg=None, probe=None, every=0):
    """Xm: (N,E) numpy with NaN. Returns dict of candidate outputs (original units) + info.
    probe(name, Ximp) optional callback for trajectories (called every `every` epochs with current y-based fill)."""
    c = {**DEF, **(cfg or {})}; torch.manual_seed(c["seed"])
    Xm = np.asarray(Xm, float); obs_np = ~np.isnan(Xm)
    mu = np.array([Xm[obs_np[:, j], j].mean() if obs_np[:, j].any() else 0.0 for j in range(Xm.shape[1])])
    sd = np.array([Xm[obs_np[:, j], j].std() if obs_np[:, j].sum() > 1 else 1.0 for j in range(Xm.shape[1])])
    sd = np.where(sd > 1e-12, sd, 1.0)
    if c["std"] == "center": sd = np.ones_like(sd)
    Z0 = np.where(obs_np, (Xm - mu) / sd, 0.0)
    Z = torch.tensor(Z0, dtype=DT); obs = torch.tensor(obs_np); blank = ~obs
    E = Z.shape[1]
    ens = Ens(Z.clone(), obs, c)
    C = obs.to(DT)
    mk = lambda Z, C: torch.cat([Z, C], 1) if c["conf"] else Z
    back = lambda Zt: Zt.numpy().astype(float) * sd + mu
    state = {"Z": Z, "C": C, "ep": 0}
    def cb():
        state["ep"] += every
        if probe is not None:
            y, _ = ens.predict(mk(state["Z"], state["C"]))
            probe(state["ep"], back(torch.where(blank, y, state["Z"])))
    t0 = time.perf_counter()
    ens.train(mk(Z, C), c["E0"], cb if probe else None, every)
    passes = 0
    for n in range(c["K"]):
        y, s = ens.predict(mk(Z, C))
        Znew = torch.where(blank, c["g"] * Z + (1 - c["g"]) * y, Z)
        ch = float((Znew - Z).abs().max()); Z = Znew; passes += 1
        C = torch.where(blank, 1.0 / (1.0 + s ** 2), torch.ones_like(Z))
        state["Z"], state["C"] = Z, C
        if ch < c["tol"]: break
        ens.train(mk(Z, C), c["Ep"], cb if probe else None, every)
    y, s = ens.predict(mk(Z, C))
    out = {"z": back(Z), "y": back(torch.where(blank, y, Z)),
           "zu": back(torch.where(blank, c["g"] * Z + (1 - c["g"]) * y, Z)),
           "sec": time.perf_counter() - t0, "passes": passes}
    return out


def impute_auto(Xm, cfg=None, probe=None, every=0, vfrac=0.12, E0max=800, chk=25, lams=None, Ep_frac=0.25):
    """Self-selection: hide vfrac of observed cells, train E0max epochs (no passes) per lambda in `lams`,
    tracking validation RMSE (standardised units) of the ensemble-mean prediction every `chk` epochs;
    pick (E0*, lambda*) with the lowest val RMSE, then run the normal procedure on all data with
    E0 = E0*, Ep = max(25, Ep_frac*E0*)."""
    c = {**DEF, **(cfg or {})}
    Xm = np.asarray(Xm, float); obs = ~np.isnan(Xm)
    rng = np.random.default_rng(1000 + c["seed"])
    val = obs & (rng.random(Xm.shape) < vfrac)
    sd = np.nanstd(Xm, 0); sd = np.where(sd > 1e-12, sd, 1.0)
    Xv = Xm.copy(); Xv[val] = np.nan
    t0 = time.perf_counter(); best = (np.inf, c["E0"], c["lam"]); curves = {}
    for lam in (lams or [c["lam"]]):
        cur = []
        def pr(ep, Xi):
            cur.append((ep, float(np.sqrt(np.mean(((Xi[val] - Xm[val]) / np.broadcast_to(sd, Xm.shape)[val]) ** 2)))))
        impute(Xv, {**c, "lam": lam, "E0": E0max, "K": 0}, probe=pr, every=chk)
        curves[lam] = cur
        for ep, r in cur:
            if r < best[0]: best = (r, ep, lam)
    tsel = time.perf_counter() - t0
    E0s, lam = best[1], best[2]
    out = impute(Xm, {**c, "E0": E0s, "lam": lam, "Ep": max(25, int(Ep_frac * E0s))}, probe=probe, every=every)
    out.update(sel_E0=E0s, sel_lam=lam, sel_sec=tsel, sec=out["sec"] + tsel)
    return out


def impute_auto2(Xm, cfg=None, probe=None, every=0, vfrac=0.12, E0max=800, chk=25, Ep_frac=0.25, Kmax=4):
    """Self-selection of E0 AND number of passes.
    Run A: hide vfrac of observed cells; train E0max epochs (no passes); val RMSE (standardised) of the
           ensemble-mean prediction every chk epochs -> E0* = argmin.
    Run B: same hidden cells, E0*, then Kmax passes of Ep = max(25, Ep_frac*E0*); val RMSE after each pass -> K* = argmin (0 allowed).
    Final: all data, E0*, K* passes; output y (ensemble mean) if K*=0 else z."""
    c = {**DEF, **(cfg or {})}
    Xm = np.asarray(Xm, float); obs = ~np.isnan(Xm)
    rng = np.random.default_rng(1000 + c["seed"])
    val = obs & (rng.random(Xm.shape) < vfrac)
    sd = np.nanstd(Xm, 0); sd = np.where(sd > 1e-12, sd, 1.0); SD = np.broadcast_to(sd, Xm.shape)[val]
    Xv = Xm.copy(); Xv[val] = np.nan
    vr = lambda Xi: float(np.sqrt(np.mean(((Xi[val] - Xm[val]) / SD) ** 2)))
    t0 = time.perf_counter(); cur = []
    impute(Xv, {**c, "E0": E0max, "K": 0}, probe=lambda ep, Xi: cur.append((vr(Xi), ep)), every=chk)
    E0s = min(cur)[1]; Ep = max(25, int(Ep_frac * E0s))
    curB = []
    o = impute(Xv, {**c, "E0": E0s, "K": Kmax, "Ep": Ep, "tol": 0.0}, probe=lambda ep, Xi: curB.append(vr(Xi)), every=Ep)
    # curB: E0s//Ep points in the E0 phase, then one per pass; prepend exact pre-pass value from run A
    pre = [r for r, ep in cur if ep == E0s][0]
    post = curB[len(curB) - Kmax:] if len(curB) >= Kmax else []
    vals = [pre] + post
    Ks = int(np.argmin(vals)); tsel = time.perf_counter() - t0
    out = impute(Xm, {**c, "E0": E0s, "K": Ks, "Ep": Ep}, probe=probe, every=every)
    out["auto"] = out["y"]  # recommended final value: last ensemble mean (z is shrunk toward the mean when K* is small)
    out.update(sel_E0=E0s, sel_lam=Ks, sel_sec=tsel, sec=out["sec"] + tsel, sel_vals=[round(v, 4) for v in vals])
    return out
