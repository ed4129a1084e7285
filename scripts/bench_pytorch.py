#!/usr/bin/python3
"""PyTorch eager reference timing of one full-batch training step of phasemap's model family.

Run it through scripts/bench-pytorch (which installs torch from apt and pins one thread); see
`scripts/bench-pytorch --help`. The model, data and optimiser follow /work/shared/SCIENCE.md
sections 0, 1.1, 1.2, 2.1 and 6:

  * tokens a, b (plus the '=' token, id p, at position 2 for nanda2023); residual r = W_E[tok] + W_pos[pos];
  * per layer: attention with n_heads = 4, d_head = d_model / 4, no biases, causal mask for
    nanda2023 and none for zhong2023, A' = alpha * softmax(q k^T / sqrt(d_head)) + (1 - alpha) * J
    (J all-ones, lower-triangular ones when causal); r += concat_h(A' v) W_O;
    then the MLP r += act(r W_in + b_in) W_out + b_out with d_mlp = 4 * d_model, ReLU or exact GeLU;
  * no LayerNorm; logits = r_last W_U over the p number tokens;
  * loss = mean cross-entropy at the last position, log-softmax in float64;
  * step = zero_grad + forward over the whole training set + backward + AdamW.

"Exact trick": only the last position's logits enter the loss, so in the LAST layer only the last
position needs a query, an attention output, an MLP and an unembedding (keys and values still come
from every position). Earlier layers process every position. `--self-check` verifies on a tiny
float64 model that this gives the same loss and gradients as pushing every position through every layer.

Weights are stored as TransformerLens does in spirit (row-vector convention, x @ W), with the per-head
matrices fused: W_Q is [d_model, n_heads * d_head] where column block h is TransformerLens' W_Q[h]
([d_model, d_head]); W_O is [n_heads * d_head, d_model] where row block h is W_O[h]. That is the same
function as the per-head layout, computed with one matmul instead of a per-head einsum.
"""

import argparse
import ctypes
import datetime
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

N_HEADS = 4

# Defaults of the two presets (SCIENCE.md 1.2 and 2.1).
PRESETS = {
    # causal mask, '=' token appended, train fraction, AdamW weight decay
    "nanda2023": dict(causal=True, eq_token=True, train_fraction=0.3, weight_decay=1.0),
    "zhong2023": dict(causal=False, eq_token=False, train_fraction=0.8, weight_decay=2.0),
}

DEFAULT_CASES = ",".join([
    "nanda2023:113:128:1:relu",
    "zhong2023:59:32:1:relu",
    "zhong2023:59:64:1:relu",
    "zhong2023:59:128:1:relu",
    "zhong2023:59:128:1:gelu",
    "zhong2023:59:128:2:relu",
    "zhong2023:59:128:2:gelu",
    "zhong2023:59:128:4:relu",
    "zhong2023:59:128:4:gelu",
    "zhong2023:59:256:1:relu",
    "zhong2023:59:512:1:relu",
    "zhong2023:59:32:2:relu",
    "zhong2023:59:512:4:gelu",
])


class Case:
    """One benchmark case, parsed from 'preset:p:d_model:n_layers:activation'."""

    def __init__(self, spec):
        parts = spec.strip().split(":")
        if len(parts) != 5:
            raise ValueError(f"case {spec!r}: expected preset:p:d_model:n_layers:activation")
        self.preset, p, d, n_layers, self.act = parts
        if self.preset not in PRESETS:
            raise ValueError(f"case {spec!r}: preset must be one of {sorted(PRESETS)}")
        if self.act not in ("relu", "gelu"):
            raise ValueError(f"case {spec!r}: activation must be relu or gelu")
        self.p, self.d_model, self.n_layers = int(p), int(d), int(n_layers)
        if self.d_model % N_HEADS:
            raise ValueError(f"case {spec!r}: d_model must be divisible by {N_HEADS}")
        cfg = PRESETS[self.preset]
        self.causal = cfg["causal"]
        self.eq_token = cfg["eq_token"]
        self.train_fraction = cfg["train_fraction"]
        self.weight_decay = cfg["weight_decay"]

    @property
    def name(self):
        return f"{self.preset} p={self.p} d={self.d_model} L={self.n_layers} {self.act}"


class Model(torch.nn.Module):
    """The one-to-few-layer attention-only-plus-MLP transformer of SCIENCE.md 1.1 / 2.1."""

    def __init__(self, case, alpha, dtype=torch.float32, generator=None):
        super().__init__()
        self.case, self.alpha = case, alpha
        p, d = case.p, case.d_model
        self.d_head = d // N_HEADS
        d_mlp = 4 * d
        self.n_ctx = 3 if case.eq_token else 2
        d_vocab_in = p + 1 if case.eq_token else p  # '=' is token id p
        d_vocab_out = p                              # logits over the p number tokens only

        def normal(*shape, scale):
            return torch.nn.Parameter(torch.randn(*shape, generator=generator, dtype=dtype) * scale)

        # Init scales (SCIENCE.md): N(0,1)/sqrt(d_model) everywhere except W_U (1/sqrt(vocab))
        # and, for zhong2023, W_in (1/sqrt(d_mlp)). Timing does not depend on them.
        s = 1.0 / math.sqrt(d)
        s_in = 1.0 / math.sqrt(d_mlp) if case.preset == "zhong2023" else s
        self.W_E = normal(d_vocab_in, d, scale=s)
        self.W_pos = normal(self.n_ctx, d, scale=s)
        self.W_U = normal(d, d_vocab_out, scale=1.0 / math.sqrt(d_vocab_in))
        self.layers = torch.nn.ModuleList()
        for _ in range(case.n_layers):
            layer = torch.nn.Module()
            layer.W_Q = normal(d, d, scale=s)   # [d_model, n_heads*d_head], column block h = head h
            layer.W_K = normal(d, d, scale=s)
            layer.W_V = normal(d, d, scale=s)
            layer.W_O = normal(d, d, scale=s)   # [n_heads*d_head, d_model], row block h = head h
            layer.W_in = normal(d, d_mlp, scale=s_in)
            layer.b_in = torch.nn.Parameter(torch.zeros(d_mlp, dtype=dtype))
            layer.W_out = normal(d_mlp, d, scale=s)
            layer.b_out = torch.nn.Parameter(torch.zeros(d, dtype=dtype))
            self.layers.append(layer)

        # Constant attention pattern J for the alpha mixing: all ones, or lower-triangular ones
        # when causal (a query still sees only positions <= itself). Also the causal mask.
        T = self.n_ctx
        ones = torch.ones(T, T, dtype=dtype)
        self.register_buffer("J", torch.tril(ones) if case.causal else ones)
        self.register_buffer("future", torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1))

    def _heads(self, x):
        """[B, T, n_heads*d_head] -> [B, n_heads, T, d_head]."""
        B, T, _ = x.shape
        return x.view(B, T, N_HEADS, self.d_head).transpose(1, 2)

    def forward(self, tokens, last_only=True):
        """Logits [B, p] at the last position. last_only=True applies the exact trick in the last layer."""
        B, T = tokens.shape
        r = self.W_E[tokens] + self.W_pos                    # [B, T, d_model]
        for i, layer in enumerate(self.layers):
            # In the last layer with the trick, queries, attention outputs and the MLP exist only
            # for the last position; keys and values always cover every position.
            q_from = T - 1 if (last_only and i == len(self.layers) - 1) else 0
            r_q = r[:, q_from:]                              # [B, Tq, d_model]
            q = self._heads(r_q @ layer.W_Q)                 # [B, H, Tq, d_head]
            k = self._heads(r @ layer.W_K)                   # [B, H, T, d_head]
            v = self._heads(r @ layer.W_V)                   # [B, H, T, d_head]
            scores = q @ k.transpose(-1, -2) / math.sqrt(self.d_head)   # [B, H, Tq, T]
            if self.case.causal:
                scores = scores.masked_fill(self.future[q_from:], float("-inf"))
            A = torch.softmax(scores, dim=-1)
            # Attention rate alpha (zhong2023's attn_coeff). Applied even at alpha = 1, as the formula
            # says, so the measured step includes it (it is a few tiny elementwise ops).
            A = self.alpha * A + (1.0 - self.alpha) * self.J[q_from:]
            z = (A @ v).transpose(1, 2).reshape(B, T - q_from, -1)     # concat over heads
            r = r_q + z @ layer.W_O                          # [B, Tq, d_model]
            pre = r @ layer.W_in + layer.b_in
            post = F.relu(pre) if self.case.act == "relu" else F.gelu(pre)  # exact (erf) GeLU
            r = r + post @ layer.W_out + layer.b_out
        return r[:, -1] @ self.W_U                           # [B, p]


def loss_fn(logits, labels):
    """Mean cross-entropy, log-softmax in float64 (SCIENCE.md 0)."""
    logp = F.log_softmax(logits.to(torch.float64), dim=-1)
    return -logp.gather(1, labels[:, None]).mean()


def make_train_set(case, seed=0):
    """All p^2 pairs (a, b), label (a+b) mod p, seeded shuffle; the first floor(fraction * p^2) train."""
    p = case.p
    a = torch.arange(p).repeat_interleave(p)
    b = torch.arange(p).repeat(p)
    cols = [a, b] + ([torch.full_like(a, p)] if case.eq_token else [])
    tokens = torch.stack(cols, dim=1)
    labels = (a + b) % p
    # floor, as the reference codes do: 0.3 * 113^2 = 3830.7 -> 3830, 0.8 * 59^2 = 2784.8 -> 2784.
    n_train = int(case.train_fraction * p * p)
    perm = torch.randperm(p * p, generator=torch.Generator().manual_seed(seed))[:n_train]
    return tokens[perm].contiguous(), labels[perm].contiguous()


def bench_case(case, alpha, warmup, steps):
    """Times `steps` full-batch steps after `warmup` untimed ones; returns (n_train, times_ms, loss0)."""
    torch.manual_seed(0)
    tokens, labels = make_train_set(case)
    model = Model(case, alpha)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.98),
                            weight_decay=case.weight_decay)
    times, loss0 = [], None
    for step in range(warmup + steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(tokens), labels)
        loss.backward()
        opt.step()
        elapsed = time.perf_counter() - t0
        if step == 0:
            loss0 = loss.item()  # read after the timer stops
        if step >= warmup:
            times.append(elapsed * 1e3)
    return tokens.shape[0], times, loss0


def self_check():
    """Exact trick == naive form (loss and gradients, float64) on tiny random models. Returns True if ok."""
    ok = True
    for spec, alpha in [("zhong2023:7:16:2:gelu", 1.0), ("zhong2023:7:16:3:relu", 0.3),
                        ("nanda2023:11:16:2:relu", 0.6), ("nanda2023:11:16:1:gelu", 1.0)]:
        case = Case(spec)
        gen = torch.Generator().manual_seed(1234)
        model = Model(case, alpha, dtype=torch.float64, generator=gen)
        # Random (non-zero) MLP biases so every parameter is exercised; weights keep the init scale
        # (scaling them up makes the loss explode over layers, as there is no normalisation).
        with torch.no_grad():
            for layer in model.layers:
                layer.b_in.normal_(std=0.5, generator=gen)
                layer.b_out.normal_(std=0.5, generator=gen)
        tokens, labels = make_train_set(case)
        results = []
        for last_only in (False, True):
            model.zero_grad(set_to_none=True)
            loss = loss_fn(model(tokens, last_only=last_only), labels)
            loss.backward()
            results.append((loss.item(), [prm.grad.clone() for prm in model.parameters()]))
        (l_full, g_full), (l_last, g_last) = results
        dl = abs(l_full - l_last)
        dg = max((a - b).abs().max().item() for a, b in zip(g_full, g_last))
        good = dl < 1e-6 and dg < 1e-6
        ok &= good
        print(f"self-check {case.name} alpha={alpha}: loss full={l_full:.12f} last-only={l_last:.12f} "
              f"|dloss|={dl:.2e} max|dgrad|={dg:.2e} {'OK' if good else 'FAIL'}", file=sys.stderr)
    assert ok, "self-check failed: the last-position trick does not match the full forward"
    return ok


def cpu_description():
    """lscpu model name (plus family/model) and whether the CPU has AVX2 / AVX-512F."""
    name = platform.processor() or "unknown"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        field = lambda key: (re.search(rf"^{key}:\s*(.+)$", out, re.M) or [None, "?"])[1].strip()
        name = f"{field('Model name')} (family {field('CPU family')} model {field('Model')})"
    except OSError:
        pass
    try:
        with open("/proc/cpuinfo") as f:
            flags = set(re.search(r"^flags\s*:(.*)$", f.read(), re.M).group(1).split())
        name += f", AVX2 {'yes' if 'avx2' in flags else 'no'}, AVX-512F {'yes' if 'avx512f' in flags else 'no'}"
    except (OSError, AttributeError):
        pass
    return name


def torch_build_info():
    """The few lines of torch.__config__.show() that matter for CPU speed."""
    text = torch.__config__.show()
    cap = re.search(r"CPU capability usage: (\S+)", text)
    keys = ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP")
    found = [m.group(0) for k in keys for m in [re.search(rf"{k}=[^,\s]+", text)] if m]
    return f"CPU capability {cap.group(1) if cap else '?'}, " + ", ".join(found)


def blas_info():
    """Which BLAS library torch loaded and, if it is OpenBLAS, its core and build config (cheap: ctypes)."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if re.search(r"lib(open)?blas|libmkl", os.path.basename(path)):
                libs.add(os.path.realpath(path))
    # Several names may map the same OpenBLAS (Debian loads libblas.so.3 and libopenblasp); report
    # its core and config once.
    details = set()
    for lib in sorted(libs):
        try:
            h = ctypes.CDLL(lib)
            if hasattr(h, "openblas_get_corename"):
                h.openblas_get_corename.restype = ctypes.c_char_p
                h.openblas_get_config.restype = ctypes.c_char_p
                details.add(f"OpenBLAS core {h.openblas_get_corename().decode()}, "
                            f"config: {h.openblas_get_config().decode().strip()}")
        except OSError:
            pass
    if not libs:
        return "no BLAS library found in /proc/self/maps"
    return "; ".join(sorted(details)) + " (" + ", ".join(sorted(libs)) + ")"


def write_report(path, header, rows):
    """Rewrites the whole markdown file (through a temporary file), so a killed run keeps finished rows."""
    lines = header + ["", "| case | n_train | median ms | min ms | max ms |",
                      "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {n} | {med:.1f} | {lo:.1f} | {hi:.1f} |" for name, n, med, lo, hi in rows]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="Wrapper-only option (scripts/bench-pytorch): --unset-openblas-coretype runs with "
               "OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, so OpenBLAS picks its own core.")
    ap.add_argument("--cases", default=DEFAULT_CASES,
                    help="comma-separated preset:p:d_model:n_layers:activation (default: the standard 13)")
    ap.add_argument("--alpha", type=float, default=1.0, help="attention rate alpha (default 1.0)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed steps per case (default 5)")
    ap.add_argument("--steps", type=int, default=30, help="timed steps per case (default 30)")
    ap.add_argument("--out", default="results/bench-pytorch.md", help="markdown output file")
    ap.add_argument("--self-check", action="store_true",
                    help="only check that the last-position trick equals the full forward, then exit")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)

    if args.self_check:
        self_check()
        print("self-check passed", file=sys.stderr)
        return

    try:
        cases = [Case(s) for s in args.cases.split(",") if s.strip()]
    except ValueError as e:
        ap.error(str(e))
    if args.steps < 1:
        ap.error("--steps must be >= 1")

    header = [
        "# PyTorch eager: one full-batch training step",
        "",
        f"- date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- torch: {torch.__version__} ({sys.executable}, Python {platform.python_version()})",
        f"- machine: {cpu_description()}, {os.cpu_count()} logical CPUs",
        f"- threads: torch {torch.get_num_threads()} (interop {torch.get_num_interop_threads()}); "
        f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')} "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')} "
        f"MKL_NUM_THREADS={os.environ.get('MKL_NUM_THREADS')}",
        f"- BLAS: {blas_info()}",
        f"- env: OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
        f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')}",
        f"- torch build: {torch_build_info()}",
        f"- settings: alpha {args.alpha}, float32 weights, float64 log-softmax, AdamW lr 1e-3 betas (0.9, 0.98), "
        f"last-layer last-position trick, {args.warmup} warm-up + {args.steps} timed steps (time.perf_counter)",
    ]
    for line in header[2:]:
        print(line, file=sys.stderr)

    rows = []
    write_report(args.out, header, rows)
    for case in cases:
        n_train, times, loss0 = bench_case(case, args.alpha, args.warmup, args.steps)
        row = (case.name, n_train, statistics.median(times), min(times), max(times))
        rows.append(row)
        write_report(args.out, header, rows)
        print(f"{case.name}: n_train {n_train}, median {row[2]:.1f} ms, min {row[3]:.1f}, max {row[4]:.1f} "
              f"(step-0 loss {loss0:.4f}, ln p = {math.log(case.p):.4f})", file=sys.stderr)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
