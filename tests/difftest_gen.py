"""Differential testing against PyTorch: a seeded generator of random autograd programs
in gradcli's language, and a comparer that runs each under gradcli and under CPython +
torch and classifies any difference.

    python tests/difftest_gen.py --seeds 0:5000          # summary of mismatch kinds
    python tests/difftest_gen.py --seeds 17 --show       # one program and its diff
    python tests/difftest_gen.py --seeds 0:500 --kind grad_fn --examples 3
    python tests/difftest_gen.py --seeds 1000000:1002000   # the tutorial family

Programs use only literal or deterministic data (torch.randn's stream is not
comparable), float32 and float64, shapes 0-d..3-d with size-1 broadcast dims, chains of
random ops, backward/autograd.grad (first and second order), and print what tutorial
programs print. Some end in an error on purpose so the error texts are compared.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import sys
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FLOATS = ("float32", "float64")


# ---------------------------------------------------------------------------
# shapes


def broadcast(a: tuple, b: tuple):
    n = max(len(a), len(b))
    a2 = (1,) * (n - len(a)) + a
    b2 = (1,) * (n - len(b)) + b
    out = []
    for x, y in zip(a2, b2):
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            return None
    return tuple(out)


def numel(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def promote(a, b):
    """Result dtype of a tensor-tensor op between floats (0-d defers to dimensioned)."""
    if a.dtype == b.dtype:
        return a.dtype
    if a.shape == () and b.shape != ():
        return b.dtype
    if b.shape == () and a.shape != ():
        return a.dtype
    return "float64"


@dataclass
class Var:
    name: str
    shape: tuple
    dtype: str = "float32"
    rg: bool = False
    pos: bool = False  # every value known > 0 (log/sqrt/pow bases are safe)
    leaf: bool = True
    unit: bool = False  # every value in (-1, 1) (asin/acos/atanh safe)
    deps: frozenset = frozenset()  # the requires-grad leaves it was computed from


@dataclass
class Program:
    lines: list = field(default_factory=list)
    vars: list = field(default_factory=list)
    counter: int = 0

    def fresh(self, prefix="t") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def emit(self, line: str) -> None:
        self.lines.append(line)


# ---------------------------------------------------------------------------
# the generator


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.p = Program()
        self.seed = seed

    # -- data ---------------------------------------------------------------

    def number(self, pos=False, unit=False) -> str:
        r = self.r
        if unit:
            v = round(r.uniform(-0.9, 0.9), 2)
        elif pos:
            v = round(r.choice([r.uniform(0.1, 3.0), r.uniform(0.5, 1.5)]), r.choice([1, 2, 2, 3]))
            v = max(v, 0.1)
        else:
            v = r.choice([round(r.uniform(-3, 3), r.choice([1, 2, 2, 3])), r.choice([0.0, 1.0, -1.0, 0.5, 2.0])])
        return repr(float(v))

    def nested(self, shape, pos=False, unit=False) -> str:
        if not shape:
            return self.number(pos, unit)
        return "[" + ", ".join(self.nested(shape[1:], pos, unit) for _ in range(shape[0])) + "]"

    def shape_like(self, base: tuple) -> tuple:
        """A shape that broadcasts with ``base``: itself, a suffix, or with 1s."""
        r = self.r
        k = r.random()
        if k < 0.45 or not base:
            return base
        if k < 0.65:
            return base[r.randrange(len(base) + 1):]
        return tuple(1 if r.random() < 0.4 else s for s in base)

    def dtype_kw(self, dtype: str) -> str:
        return "" if dtype == "float32" else f", dtype=torch.{dtype}"

    def leaf(self, shape, dtype="float32", rg=True, pos=None, name=None) -> Var:
        r = self.r
        p = self.p
        name = name or p.fresh("x" if rg else "c")
        pos = r.random() < 0.4 if pos is None else pos
        unit = not pos and r.random() < 0.2
        rgs = ", requires_grad=True" if rg else ""
        n = numel(shape)
        shp = ", ".join(map(str, shape))
        k = r.random()
        if k < 0.55 or n == 0:
            expr = f"torch.tensor({self.nested(shape, pos, unit)}{self.dtype_kw(dtype)}{rgs})"
        elif k < 0.65 and shape:
            lo = 1 if pos else r.choice([0, -2])
            scale = r.choice(["", " * 0.5", " / 4", " - 1.5"]) if not pos else r.choice(["", " * 0.5", " / 4"])
            conv = ".float()" if dtype == "float32" else ".double()"
            expr = f"(torch.arange({lo}, {lo + n}){conv}{scale}).reshape({shp})"
            if rg:
                expr += ".requires_grad_()"
            unit = False
        elif k < 0.75 and shape:
            a, b = (0.1, 2.0) if pos else (round(r.uniform(-2, 0), 1), round(r.uniform(0.1, 2), 1))
            expr = f"torch.linspace({a}, {b}, steps={n}{self.dtype_kw(dtype)}).reshape({shp})"
            if rg:
                expr += ".requires_grad_()"
            unit = False
        elif k < 0.85:
            fill = self.number(pos=True) if pos else self.number()
            expr = f"torch.full(({shp}{',' if len(shape) == 1 else ''}), {fill}{self.dtype_kw(dtype)}{rgs})"
            unit = False
        elif k < 0.92 and len(shape) == 2 and shape[0] == shape[1] and not pos:
            expr = f"torch.eye({shape[0]}{self.dtype_kw(dtype)}{rgs})"
            unit = False
        else:
            fn = "ones" if pos or r.random() < 0.6 else "zeros"
            expr = f"torch.{fn}({shp or '()'}{self.dtype_kw(dtype)}{rgs})"
            unit = False
        p.emit(f"{name} = {expr}")
        v = Var(name, tuple(shape), dtype, rg, pos, True, unit, frozenset([name]) if rg else frozenset())
        p.vars.append(v)
        return v

    # -- picking ------------------------------------------------------------

    def floats(self):
        return [v for v in self.p.vars if v.dtype in FLOATS]

    def pick(self, pred=None):
        c = [v for v in self.floats() if pred is None or pred(v)]
        if not c:
            return None
        # favour recent values so chains grow deep
        w = [1 + i for i in range(len(c))]
        return self.r.choices(c, weights=w)[0]

    def deps_of(self, expr: str) -> frozenset:
        names = set(re.findall(r"\b[a-z]+\d+\b", expr))
        out = frozenset()
        for v in self.p.vars:
            if v.name in names:
                out |= v.deps
        return out

    def new(self, expr, shape, dtype, rg, pos=False, unit=False) -> Var:
        name = self.p.fresh()
        self.p.emit(f"{name} = {expr}")
        v = Var(name, tuple(shape), dtype, rg and dtype in FLOATS, pos, not rg, unit, self.deps_of(expr))
        self.p.vars.append(v)
        return v

    # -- ops ----------------------------------------------------------------

    UNARY_ANY = ["torch.sin({})", "torch.cos({})", "torch.tanh({})", "torch.sigmoid({})", "{}.neg()",
                 "-{}", "torch.abs({})", "{}.abs()", "torch.exp({})", "{}.exp()", "torch.square({})",
                 "torch.atan({})", "torch.erf({})", "torch.sinh({})", "{}.cosh()", "torch.expm1({})",
                 "torch.relu({})", "F.relu({})", "F.gelu({})", "F.silu({})", "F.softplus({})",
                 "F.elu({})", "F.leaky_relu({}, 0.1)", "F.mish({})", "F.hardtanh({})", "F.relu6({})",
                 "F.hardsigmoid({})", "F.hardswish({})", "F.logsigmoid({})", "F.softsign({})",
                 "F.tanhshrink({})", "F.selu({})", "F.celu({})", "torch.sign({})", "torch.floor({})",
                 "torch.ceil({})", "torch.round({})", "torch.trunc({})", "torch.frac({})",
                 "torch.clamp({}, -0.5, 0.5)", "{}.clamp(min=0.0)", "{}.clamp(max=1.0)",
                 "torch.clamp({}, min=-1.0)", "{}.clip(-1, 1)", "torch.erfc({})", "torch.exp2({})",
                 "F.softplus({}, beta=2)", "F.elu({}, alpha=0.5)", "F.threshold({}, 0.1, 20.0)",
                 "torch.nan_to_num({})", "{}.sgn()", "torch.sigmoid({}) * (1 - torch.sigmoid({}))",
                 "{} * {}", "{} ** 2", "{} ** 3", "{}.pow(2)", "{} ** 0.5", "{} ** -1",
                 "2 ** {}", "0.5 ** {}", "{}.square()", "torch.pow({}, 3)", "torch.pow(2.0, {})"]
    UNARY_POS = ["torch.log({})", "{}.log()", "torch.sqrt({})", "{}.sqrt()", "torch.rsqrt({})",
                 "torch.reciprocal({})", "torch.log2({})", "torch.log10({})", "torch.log1p({})",
                 "{} ** 0.5", "{} ** -0.5", "{} ** 1.5", "{}.pow(-2)", "1 / {}", "2.0 / {}",
                 "torch.xlogy({}, {})", "torch.pow({}, 0.3)", "{} ** {}"]
    UNARY_UNIT = ["torch.asin({})", "torch.acos({})", "torch.arcsin({})", "torch.logit(({} + 1) / 2)"]
    # on purpose outside the domain: nan/inf in values and grads
    UNARY_NAN = ["torch.log({})", "torch.sqrt({})", "{} ** 0.5", "torch.asin({})", "torch.log1p({})",
                 "1 / {}", "torch.rsqrt({})", "{} ** -1.5"]

    def op_unary(self):
        r = self.r
        k = r.random()
        if k < 0.55:
            v = self.pick()
            tmpl = r.choice(self.UNARY_ANY)
        elif k < 0.8:
            v = self.pick(lambda v: v.pos)
            if v is None:
                return None
            tmpl = r.choice(self.UNARY_POS)
        elif k < 0.9:
            v = self.pick(lambda v: v.unit)
            if v is None:
                return None
            tmpl = r.choice(self.UNARY_UNIT)
        else:
            v = self.pick(lambda v: not v.pos)
            if v is None:
                return None
            tmpl = r.choice(self.UNARY_NAN)
        if v is None:
            return None
        n = tmpl.count("{}")
        expr = tmpl.format(*([v.name] * n))
        pos = tmpl in ("torch.exp({})", "{}.exp()", "torch.sigmoid({})", "torch.exp2({})", "F.softplus({})",
                       "2 ** {}", "0.5 ** {}", "torch.pow(2.0, {})") or (v.pos and tmpl in (
                           "torch.sqrt({})", "{}.sqrt()", "{} ** 0.5", "{} * {}", "{} ** 2", "torch.reciprocal({})",
                           "torch.rsqrt({})", "1 / {}", "2.0 / {}", "{}.pow(-2)", "{} ** 1.5", "{} ** -0.5",
                           "torch.pow({}, 0.3)", "{} ** 3", "{}.square()", "torch.pow({}, 3)", "torch.abs({})"))
        unit = tmpl in ("torch.tanh({})", "torch.sigmoid({})", "torch.sin({})", "torch.cos({})",
                        "F.softsign({})", "torch.clamp({}, -0.5, 0.5)")
        return self.new(expr, v.shape, v.dtype, v.rg, pos, unit)

    def op_binary(self):
        r = self.r
        a = self.pick()
        if a is None:
            return None
        if r.random() < 0.3:
            s = self.number(pos=r.random() < 0.5)
            opname = r.choice(["+", "-", "*", "/"])
            if r.random() < 0.5:
                expr = f"{a.name} {opname} {s}"
                pos = a.pos and opname in "*/" and float(s) > 0 or a.pos and opname == "+" and float(s) > 0
            else:
                if opname == "/" and not a.pos:
                    opname = "*"
                expr = f"{s} {opname} {a.name}"
                pos = a.pos and opname in "*/+" and float(s) > 0
            return self.new(expr, a.shape, a.dtype, a.rg, pos)
        cands = [v for v in self.floats() if broadcast(a.shape, v.shape) is not None]
        b = r.choice(cands)
        shape = broadcast(a.shape, b.shape)
        dtype = promote(a, b)
        k = r.random()
        if k < 0.55:
            opname = r.choice(["+", "-", "*", "/", "+", "*"])
            if opname == "/" and not b.pos and r.random() < 0.7:
                opname = "*"
            expr = f"{a.name} {opname} {b.name}"
            pos = a.pos and b.pos and opname != "-"
        else:
            fn = r.choice(["torch.add({}, {})", "torch.mul({}, {})", "torch.sub({}, {}, alpha=2)",
                           "torch.maximum({}, {})", "torch.minimum({}, {})", "torch.fmax({}, {})",
                           "torch.add({}, {}, alpha=0.5)", "{}.mul({})", "{}.div({})", "{}.sub({})",
                           "torch.where({0} > {1}, {0}, {1})", "torch.where({0} > 0, {1}, {0})",
                           "torch.lerp({}, {}, 0.3)", "torch.atan({} / ({} ** 2 + 1))", "{}.add({})",
                           "torch.rsub({}, {})", "torch.xlogy({}, {})", "torch.div({}, {}, rounding_mode='floor')",
                           "torch.remainder({}, {})", "{} ** {}", "torch.pow({}, {})"])
            if fn in ("{} ** {}", "torch.pow({}, {})", "torch.xlogy({}, {})") and not (a.pos or b.pos) and r.random() < 0.8:
                fn = "torch.mul({}, {})"
            if fn in ("{} ** {}", "torch.pow({}, {})") and b.pos and not a.pos:
                a, b = b, a
            expr = fn.format(a.name, b.name)
            pos = a.pos and b.pos and fn in ("torch.add({}, {})", "torch.mul({}, {})", "torch.maximum({}, {})",
                                              "torch.minimum({}, {})", "{}.mul({})", "{}.div({})", "{} ** {}")
        return self.new(expr, shape, dtype, a.rg or b.rg, pos)

    def dim_of(self, v, allow_bad=False):
        nd = len(v.shape)
        if nd == 0:
            return self.r.choice([0, -1])
        return self.r.randrange(-nd, nd)

    def op_reduce(self):
        r = self.r
        v = self.pick()
        if v is None:
            return None
        nd = len(v.shape)
        k = r.random()
        if k < 0.35 or nd == 0:
            fn = r.choice(["sum", "mean", "prod", "amax", "amin", "max", "min", "std", "var", "norm",
                           "logsumexp", "median"])
            if fn == "logsumexp":
                expr = f"torch.logsumexp({v.name}, dim={self.dim_of(v)})"
                shape = tuple(s for i, s in enumerate(v.shape) if i != (self.dim_of(v) % max(nd, 1))) if nd else ()
                # recompute dim consistently
                d = self.dim_of(v)
                expr = f"torch.logsumexp({v.name}, dim={d})"
                shape = tuple(s for i, s in enumerate(v.shape) if i != d % nd) if nd else ()
                return self.new(expr, shape, v.dtype, v.rg)
            if fn in ("std", "var") and numel(v.shape) < 2:
                fn = "sum"
            style = r.random()
            expr = f"{v.name}.{fn}()" if style < 0.6 else f"torch.{fn}({v.name})"
            return self.new(expr, (), v.dtype, v.rg, v.pos and fn in ("sum", "mean", "prod", "amax", "max", "min",
                                                                         "amin", "median"))
        d = self.dim_of(v)
        keep = r.random() < 0.35
        kd = ", keepdim=True" if keep else ""
        shape = tuple(1 if i == d % nd else s for i, s in enumerate(v.shape)) if keep else \
            tuple(s for i, s in enumerate(v.shape) if i != d % nd)
        fn = r.choice(["sum", "mean", "prod", "amax", "amin", "std", "var", "logsumexp", "norm",
                       "max", "min", "softmax", "log_softmax", "cumsum", "cumprod", "sum_multi", "median"])
        if fn in ("max", "min", "median"):
            form = r.random()
            if form < 0.4:
                expr = f"{v.name}.{fn}(dim={d}{kd}).values"
            elif form < 0.7:
                expr = f"torch.{fn}({v.name}, {d}{kd})[0]"
            else:
                name = self.p.fresh()
                iname = self.p.fresh("i")
                self.p.emit(f"{name}, {iname} = {v.name}.{fn}({d}{kd})")
                nv = Var(name, shape, v.dtype, v.rg, v.pos, not v.rg, False, v.deps)
                self.p.vars.append(nv)
                self.p.emit(f"print({iname})")
                return nv
            return self.new(expr, shape, v.dtype, v.rg, v.pos)
        if fn in ("softmax", "log_softmax", "cumsum", "cumprod"):
            mod = r.choice(["torch", "F"]) if fn in ("softmax", "log_softmax") else "torch"
            expr = f"{mod}.{fn}({v.name}, dim={d})" if r.random() < 0.6 else f"{v.name}.{fn}({d})"
            return self.new(expr, v.shape, v.dtype, v.rg, fn == "softmax" or (v.pos and fn != "log_softmax"))
        if fn == "sum_multi" and nd >= 2:
            dims = sorted(r.sample(range(nd), 2))
            keep_shape = tuple(1 if i in dims else s for i, s in enumerate(v.shape)) if keep else \
                tuple(s for i, s in enumerate(v.shape) if i not in dims)
            return self.new(f"{v.name}.sum(dim=({dims[0]}, {dims[1]}){kd})", keep_shape, v.dtype, v.rg, v.pos)
        if fn == "sum_multi":
            fn = "sum"
        if fn in ("std", "var") and v.shape[d % nd] < 2:
            fn = "mean"
        if fn == "norm":
            expr = f"{v.name}.norm(dim={d}{kd})" if r.random() < 0.5 else f"torch.norm({v.name}, p=1, dim={d}{kd})"
            return self.new(expr, shape, v.dtype, v.rg)
        expr = f"{v.name}.{fn}(dim={d}{kd})" if r.random() < 0.6 else f"torch.{fn}({v.name}, {d}{kd})"
        return self.new(expr, shape, v.dtype, v.rg, v.pos and fn in ("sum", "mean", "prod", "amax", "amin", "logsumexp"))

    def op_shape(self):
        r = self.r
        v = self.pick()
        if v is None:
            return None
        s = v.shape
        nd = len(s)
        choices = ["unsqueeze", "reshape", "flatten", "clone", "expand", "repeat", "flip", "view"]
        if nd >= 2:
            choices += ["t", "transpose", "permute", "movedim", "tril", "diagonal", "T", "mT"]
        if nd >= 1:
            choices += ["squeeze", "narrow", "chunk", "unbind", "roll", "cat", "stack", "split"]
        fn = r.choice(choices)
        P = v.pos
        if fn == "unsqueeze":
            d = r.randrange(-nd - 1, nd + 1)
            dd = d % (nd + 1)
            return self.new(f"{v.name}.unsqueeze({d})", s[:dd] + (1,) + s[dd:], v.dtype, v.rg, P)
        if fn in ("reshape", "view"):
            n = numel(s)
            opts = [(n,), (-1,)]
            for a in range(1, n + 1):
                if n % a == 0:
                    opts.append((a, n // a))
                    opts.append((a, -1))
            tgt = r.choice(opts)
            shape = tuple(n // numel([t for t in tgt if t != -1]) if t == -1 else t for t in tgt)
            txt = ", ".join(map(str, tgt))
            if fn == "view" and r.random() < 0.5:
                return self.new(f"{v.name}.view({txt})", shape, v.dtype, v.rg, P)
            return self.new(f"{v.name}.reshape({txt})" if r.random() < 0.7 else f"torch.reshape({v.name}, ({txt},))",
                            shape, v.dtype, v.rg, P)
        if fn == "flatten":
            return self.new(f"{v.name}.flatten()", (numel(s),), v.dtype, v.rg, P)
        if fn == "clone":
            return self.new(f"{v.name}.clone()", s, v.dtype, v.rg, P)
        if fn == "expand":
            tgt = (r.choice([2, 3]),) + s
            if s and s[0] == 1:
                tgt = (r.choice([2, 3]),) + s[1:]
                return self.new(f"{v.name}.expand({', '.join(map(str, tgt))})", tgt, v.dtype, v.rg, P)
            txt = ", ".join(["-1" if i and r.random() < 0.5 else str(t) for i, t in enumerate(tgt)])
            return self.new(f"{v.name}.expand({txt})", tgt, v.dtype, v.rg, P)
        if fn == "repeat":
            reps = tuple(r.choice([1, 2]) for _ in range(max(nd, 1)))
            shape = tuple(a * b for a, b in zip((1,) * (len(reps) - nd) + s, reps))
            return self.new(f"{v.name}.repeat({', '.join(map(str, reps))})", shape, v.dtype, v.rg, P)
        if fn == "flip":
            if nd == 0:
                return self.new(f"{v.name}.flip(0)" if r.random() < 0.3 else f"{v.name} + 0", s, v.dtype, v.rg, P)
            return self.new(f"torch.flip({v.name}, [{self.dim_of(v)}])", s, v.dtype, v.rg, P)
        if fn in ("t", "T", "mT"):
            if fn == "t" and nd == 2:
                return self.new(f"{v.name}.t()", s[::-1], v.dtype, v.rg, P)
            if fn == "T" and nd == 2:
                return self.new(f"{v.name}.T", s[::-1], v.dtype, v.rg, P)
            return self.new(f"{v.name}.mT", s[:-2] + (s[-1], s[-2]), v.dtype, v.rg, P)
        if fn == "transpose":
            a, b = r.sample(range(nd), 2)
            l = list(s)
            l[a], l[b] = l[b], l[a]
            return self.new(f"{v.name}.transpose({a}, {b})", tuple(l), v.dtype, v.rg, P)
        if fn == "permute":
            perm = list(range(nd))
            r.shuffle(perm)
            return self.new(f"{v.name}.permute({', '.join(map(str, perm))})", tuple(s[i] for i in perm), v.dtype, v.rg, P)
        if fn == "movedim":
            a, b = r.sample(range(nd), 2)
            l = list(s)
            x = l.pop(a)
            l.insert(b, x)
            return self.new(f"torch.movedim({v.name}, {a}, {b})", tuple(l), v.dtype, v.rg, P)
        if fn == "tril":
            return self.new(f"{v.name}.{r.choice(['tril', 'triu'])}({r.choice(['', '1', '-1'])})", s, v.dtype, v.rg)
        if fn == "diagonal":
            m = min(s[-2], s[-1])
            return self.new(f"{v.name}.diagonal(dim1=-2, dim2=-1)", s[:-2] + (m,), v.dtype, v.rg, P)
        if fn == "squeeze":
            ones = [i for i, x in enumerate(s) if x == 1]
            if ones and r.random() < 0.6:
                d = r.choice(ones)
                return self.new(f"{v.name}.squeeze({d})", s[:d] + s[d + 1:], v.dtype, v.rg, P)
            return self.new(f"{v.name}.squeeze()", tuple(x for x in s if x != 1), v.dtype, v.rg, P)
        if fn == "narrow":
            d = r.randrange(nd)
            if s[d] < 1:
                return None
            start = r.randrange(s[d])
            ln = r.randrange(1, s[d] - start + 1)
            shape = s[:d] + (ln,) + s[d + 1:]
            return self.new(f"{v.name}.narrow({d}, {start}, {ln})", shape, v.dtype, v.rg, P)
        if fn in ("chunk", "split", "unbind"):
            d = r.randrange(nd)
            n = s[d]
            if fn == "unbind":
                if n == 0:
                    return None
                i = r.randrange(n)
                return self.new(f"{v.name}.unbind({d})[{i}]", s[:d] + s[d + 1:], v.dtype, v.rg, P)
            k = r.choice([1, 2])
            if fn == "chunk":
                size = -(-n // k) if n else 0
                return self.new(f"torch.chunk({v.name}, {k}, dim={d})[0]", s[:d] + (size,) + s[d + 1:], v.dtype, v.rg, P)
            size = min(k, n)
            return self.new(f"{v.name}.split({k}, dim={d})[0]", s[:d] + (size,) + s[d + 1:], v.dtype, v.rg, P)
        if fn == "roll":
            return self.new(f"torch.roll({v.name}, {r.choice([1, -1, 2])}, {r.randrange(nd)})", s, v.dtype, v.rg, P)
        if fn in ("cat", "stack"):
            same = [w for w in self.floats() if w.shape == s]
            w = r.choice(same)
            dtype = promote(v, w)
            if fn == "stack":
                d = r.randrange(nd + 1)
                return self.new(f"torch.stack([{v.name}, {w.name}], dim={d})", s[:d] + (2,) + s[d:], dtype,
                                v.rg or w.rg, P and w.pos)
            d = r.randrange(nd)
            return self.new(f"torch.cat(({v.name}, {w.name}), {d})", s[:d] + (2 * s[d],) + s[d + 1:], dtype,
                            v.rg or w.rg, P and w.pos)
        return None

    def op_matmul(self):
        r = self.r
        a = self.pick(lambda v: 1 <= len(v.shape) <= 3)
        if a is None:
            return None
        s = a.shape
        k = s[-1]
        n = r.choice([1, 2, 3])
        dt = a.dtype
        if len(s) == 1:
            kind = r.choice(["dot", "mv_r", "outer", "matmul_vm"])
            if kind == "dot":
                b = self.operand((k,), dt)
                return self.new(r.choice([f"torch.dot({a.name}, {b.name})", f"{a.name} @ {b.name}",
                                          f"torch.matmul({a.name}, {b.name})"]), (), dt, a.rg or b.rg)
            if kind == "outer":
                b = self.operand((n,), dt)
                return self.new(f"torch.outer({a.name}, {b.name})", (k, n), dt, a.rg or b.rg)
            if kind == "mv_r":
                b = self.operand((n, k), dt)
                return self.new(r.choice([f"torch.mv({b.name}, {a.name})", f"{b.name} @ {a.name}"]), (n,), dt,
                                a.rg or b.rg)
            b = self.operand((k, n), dt)
            return self.new(f"{a.name} @ {b.name}", (n,), dt, a.rg or b.rg)
        if len(s) == 2:
            kind = r.choice(["mm", "mv", "matmul", "linear"])
            if kind == "mv":
                b = self.operand((k,), dt)
                return self.new(f"torch.mv({a.name}, {b.name})", (s[0],), dt, a.rg or b.rg)
            if kind == "linear":
                w = self.operand((n, k), dt)
                bias = self.operand((n,), dt) if r.random() < 0.6 else None
                bt = f", {bias.name}" if bias else ""
                return self.new(f"F.linear({a.name}, {w.name}{bt})", (s[0], n), dt,
                                a.rg or w.rg or bool(bias and bias.rg))
            b = self.operand((k, n), dt)
            fn = "torch.mm({}, {})" if kind == "mm" else r.choice(["{} @ {}", "torch.matmul({}, {})", "{}.mm({})"])
            return self.new(fn.format(a.name, b.name), (s[0], n), dt, a.rg or b.rg)
        b = self.operand((s[0], k, n) if r.random() < 0.6 else (k, n), dt)
        if len(b.shape) == 3 and r.random() < 0.5:
            return self.new(f"torch.bmm({a.name}, {b.name})", (s[0], s[1], n), dt, a.rg or b.rg)
        return self.new(f"{a.name} @ {b.name}", (s[0], s[1], n), dt, a.rg or b.rg)

    def operand(self, shape, dtype) -> Var:
        c = [v for v in self.floats() if v.shape == shape and v.dtype == dtype]
        if c and self.r.random() < 0.5:
            return self.r.choice(c)
        return self.leaf(shape, dtype, rg=self.r.random() < 0.6)

    def op_index(self):
        r = self.r
        v = self.pick(lambda v: len(v.shape) >= 1 and all(v.shape))
        if v is None:
            return None
        s = v.shape
        nd = len(s)
        k = r.random()
        P = v.pos
        if k < 0.25:
            i = r.randrange(-s[0], s[0])
            return self.new(f"{v.name}[{i}]", s[1:], v.dtype, v.rg, P)
        if k < 0.45:
            a = r.randrange(s[0])
            b = r.randrange(a + 1, s[0] + 1)
            step = r.choice(["", ":2"]) if r.random() < 0.3 else ""
            ln = len(range(a, b, 2 if step else 1))
            return self.new(f"{v.name}[{a}:{b}{step}]", (ln,) + s[1:], v.dtype, v.rg, P)
        if k < 0.55 and nd >= 2:
            j = r.randrange(s[1])
            return self.new(f"{v.name}[:, {j}]", (s[0],) + s[2:], v.dtype, v.rg, P)
        if k < 0.62:
            return self.new(f"{v.name}[..., :1]", s[:-1] + (1,), v.dtype, v.rg, P)
        if k < 0.72:
            idx = [r.randrange(s[0]) for _ in range(r.choice([1, 2, 3]))]
            return self.new(f"{v.name}[torch.tensor({idx})]", (len(idx),) + s[1:], v.dtype, v.rg, P)
        if k < 0.78:
            idx = [r.randrange(s[-1]) for _ in range(r.choice([1, 2]))]
            return self.new(f"torch.index_select({v.name}, {nd - 1}, torch.tensor({idx}))", s[:-1] + (len(idx),),
                            v.dtype, v.rg, P)
        if k < 0.85:
            # boolean mask: shape unknown to us in general, so flatten it through sum
            return self.new(f"{v.name}[{v.name} > 0].sum()", (), v.dtype, v.rg)
        if k < 0.92:
            idx = self.nested_int(s, s[-1])
            return self.new(f"torch.gather({v.name}, {nd - 1}, torch.tensor({idx}))", s, v.dtype, v.rg, P)
        fill = self.number()
        return self.new(f"{v.name}.masked_fill({v.name} < 0, {fill})", s, v.dtype, v.rg)

    def nested_int(self, shape, hi):
        if not shape:
            return str(self.r.randrange(hi))
        return "[" + ", ".join(self.nested_int(shape[1:], hi) for _ in range(shape[0])) + "]"

    def op_loss(self):
        r = self.r
        v = self.pick(lambda v: len(v.shape) >= 1)
        if v is None:
            return None
        s = v.shape
        red = r.choice(["", "", ", reduction='sum'", ", reduction='none'"])
        shape = s if "none" in red else ()
        k = r.random()
        if k < 0.45:
            fn = r.choice(["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
            tgt = self.operand(s, v.dtype) if r.random() < 0.6 else self.leaf(s, v.dtype, rg=False)
            return self.new(f"F.{fn}({v.name}, {tgt.name}{red})", shape, v.dtype, v.rg or tgt.rg)
        if k < 0.6:
            tgt = self.leaf(s, v.dtype, rg=False, pos=True)
            self.p.emit(f"{tgt.name} = {tgt.name} / ({tgt.name} + 1)")
            if r.random() < 0.5:
                return self.new(f"F.binary_cross_entropy(torch.sigmoid({v.name}), {tgt.name}{red})", shape, v.dtype, v.rg)
            return self.new(f"F.binary_cross_entropy_with_logits({v.name}, {tgt.name}{red})", shape, v.dtype, v.rg)
        if k < 0.85 and len(s) == 2 and s[1] >= 2:
            tgt = [r.randrange(s[1]) for _ in range(s[0])]
            shape = (s[0],) if "none" in red else ()
            if r.random() < 0.6:
                ls = r.choice(["", ", label_smoothing=0.1"])
                return self.new(f"F.cross_entropy({v.name}, torch.tensor({tgt}){red}{ls})", shape, v.dtype, v.rg)
            return self.new(f"F.nll_loss(F.log_softmax({v.name}, dim=1), torch.tensor({tgt}){red})", shape, v.dtype, v.rg)
        if k < 0.92:
            tgt = self.leaf(s, v.dtype, rg=False, pos=True)
            return self.new(f"F.kl_div(F.log_softmax({v.name}, dim=-1), {tgt.name}, reduction='batchmean')", (),
                            v.dtype, v.rg)
        if len(s) >= 1:
            w = self.operand(s, v.dtype)
            return self.new(f"F.cosine_similarity({v.name}, {w.name}, dim=-1)", s[:-1], v.dtype, v.rg or w.rg)
        return None

    # -- prints -------------------------------------------------------------

    def print_var(self, v: Var):
        r = self.r
        k = r.random()
        n = v.name
        if k < 0.4:
            self.p.emit(f"print({n})")
        elif k < 0.5:
            self.p.emit(f"print({n}.grad_fn)")
        elif k < 0.6:
            self.p.emit(f"print({n}.shape, {n}.dtype, {n}.requires_grad, {n}.is_leaf)")
        elif k < 0.7:
            self.p.emit(f"print({n}.tolist())")
        elif k < 0.78:
            self.p.emit(f"print('{n}:', {n}.grad_fn.name() if {n}.grad_fn is not None else None)")
        elif k < 0.85 and numel(v.shape) == 1:
            fmt = r.choice(["", ":.4f", ":.6f", ":.3e"])
            self.p.emit(f"print(f\"{n} = {{{n}.item(){fmt}}}\")")
        elif k < 0.92:
            self.p.emit(f"print({n} > 0.5, ({n} == {n}).all())")
        else:
            self.p.emit(f"print(repr({n}), {n}.size(), {n}.dim(), {n}.numel())")

    # -- structure ----------------------------------------------------------

    def base_shape(self):
        return self.r.choice([(), (1,), (3,), (4,), (2, 3), (3, 2), (1, 3), (2, 2), (2, 1, 3), (2, 3, 2), (3, 1),
                              (2, 3), (3,), (2, 2, 2), (1, 2, 3)])

    def generate(self) -> str:
        r = self.r
        p = self.p
        p.emit("import torch")
        if r.random() < 0.8:
            p.emit("import torch.nn.functional as F")
        else:
            p.emit("from torch.nn import functional as F")
        if r.random() < 0.15:
            p.emit("torch.set_printoptions(precision=6)")
        base = self.base_shape()
        dtype = "float64" if r.random() < 0.3 else "float32"
        for i in range(r.choice([1, 2, 2, 3, 4])):
            d = dtype if r.random() < 0.85 else r.choice(FLOATS)
            self.leaf(self.shape_like(base), d, rg=i == 0 or r.random() < 0.85)
        if r.random() < 0.3:
            self.leaf(self.shape_like(base), dtype, rg=False)
        leaves = [v for v in p.vars if v.rg]
        ops = [self.op_unary] * 6 + [self.op_binary] * 6 + [self.op_reduce] * 3 + [self.op_shape] * 3 + \
            [self.op_matmul] * 2 + [self.op_index] * 2 + [self.op_loss]
        retained = []
        use_func = r.random() < 0.12
        if use_func:
            p.emit("def f(a, b):")
            p.emit("    return " + r.choice(["a * b + torch.sin(a)", "(a - b) ** 2", "torch.tanh(a) * b",
                                              "a.exp() / (1 + b ** 2)"]))
            v = self.pick()
            w = self.pick(lambda w: broadcast(v.shape, w.shape) is not None)
            self.new(f"f({v.name}, {w.name})", broadcast(v.shape, w.shape), promote(v, w), v.rg or w.rg)
        use_loop = r.random() < 0.12
        for step in range(r.randint(2, 9)):
            op = r.choice(ops)
            v = op()
            if v is None:
                continue
            if r.random() < 0.35:
                self.print_var(v)
            if v.rg and not v.leaf and r.random() < 0.12:
                p.emit(f"{v.name}.retain_grad()")
                retained.append(v)
        if use_loop:
            v = self.pick()
            acc = p.fresh("acc")
            p.emit(f"{acc} = {v.name}")
            p.emit(f"for k in range({r.randint(1, 3)}):")
            p.emit(f"    {acc} = {r.choice(['torch.sin', 'torch.tanh', 'torch.sigmoid'])}({acc}) * {self.number(pos=True)} + k")
            p.vars.append(Var(acc, v.shape, v.dtype, v.rg, False, not v.rg, False, v.deps))
        if r.random() < 0.1:
            v = self.pick()
            p.emit("with torch.no_grad():")
            name = p.fresh()
            p.emit(f"    {name} = {v.name} * 2")
            p.emit(f"print({name}.requires_grad, {name}.grad_fn)")
        # the output
        rgs = [v for v in self.floats() if v.rg and not v.leaf]
        if not rgs:
            out = self.pick(lambda v: v.rg)
            if out is None:
                self.error_case(force=True)
                return "\n".join(p.lines) + "\n"
        else:
            out = rgs[-1] if r.random() < 0.7 else r.choice(rgs)
        self.finish(out, leaves, retained)
        self.error_case()
        return "\n".join(p.lines) + "\n"

    def finish(self, out: Var, leaves, retained):
        r = self.r
        p = self.p
        k = r.random()
        targets = [v for v in leaves if v.name in out.deps] or [out]
        if r.random() < 0.1:
            targets = leaves or targets  # perhaps one unused: torch's error, or None with allow_unused
        if out.shape and k < 0.6:
            red = r.choice(["sum", "mean"])
            p.emit(f"loss = {out.name}.{red}()")
        else:
            p.emit(f"loss = {out.name}")
        if r.random() < 0.5:
            p.emit("print(loss)")
        scalar = not out.shape or k < 0.6
        mode = r.random()
        if mode < 0.5:
            if scalar:
                p.emit("loss.backward()" if r.random() < 0.8 else "loss.backward(retain_graph=True)")
            else:
                shp = "loss.shape"
                form = r.choice([f"torch.ones_like(loss)", f"torch.ones({shp}{self.dtype_kw(out.dtype)})",
                                 f"torch.full_like(loss, 0.5)"])
                p.emit(f"loss.backward({form})" if r.random() < 0.7 else f"loss.backward(gradient={form})")
            for v in targets:
                if r.random() < 0.85:
                    p.emit(f"print({v.name}.grad)" if r.random() < 0.7 else f"print('{v.name}.grad', {v.name}.grad)")
            for v in retained:
                p.emit(f"print({v.name}.grad)")
            if r.random() < 0.3:
                v = r.choice(targets)
                p.emit(f"print({v.name}.grad.shape == {v.name}.shape, {v.name}.grad.dtype)")
            if r.random() < 0.2 and out.leaf is False:
                p.emit(f"print({out.name}.grad)")  # non-leaf .grad access: a warning, prints None
            if r.random() < 0.15 and scalar:
                # a second backward accumulates (graph must be retained) or fails
                p.emit("loss.backward()")
                for v in targets[:1]:
                    p.emit(f"print({v.name}.grad)")
        else:
            go = "" if scalar else ", grad_outputs=torch.ones_like(loss)"
            names = ", ".join(v.name for v in targets)
            cg = r.random() < 0.5
            p.emit(f"grads = torch.autograd.grad(loss, [{names}]{go}{', create_graph=True' if cg else ''}"
                   f"{', allow_unused=True' if r.random() < 0.3 else ''})")
            p.emit("print(grads)" if r.random() < 0.5 else "for g in grads:\n    print(g)")
            if cg:
                p.emit("print(grads[0].requires_grad, grads[0].grad_fn)")
                p.emit("s = grads[0]")
                p.emit("s = s.sum() if s is not None else None")
                t0 = targets[0].name
                if r.random() < 0.5:
                    p.emit(f"h = torch.autograd.grad(s, {t0}, allow_unused=True)")
                    p.emit("print(h)")
                else:
                    p.emit("if s is not None and s.requires_grad:")
                    p.emit("    s.backward()")
                    p.emit(f"    print({t0}.grad)")
            if r.random() < 0.4:
                for v in targets[:2]:
                    p.emit(f"print({v.name}.grad)")

    ERRORS = [
        "torch.ones(2, 3) + torch.ones(4)",
        "torch.mm(torch.ones(2, 3), torch.ones(2, 3))",
        "torch.tensor([1, 2, 3], requires_grad=True)",
        "torch.ones(3).sum(dim=2)",
        "torch.ones(2, 2)[5]",
        "torch.ones(2, 3).view(4)",
        "torch.ones(2, 3).reshape(5, -1)",
        "torch.cat([torch.ones(2, 3), torch.ones(3, 2)])",
        "torch.ones(3).item()",
        "torch.ones(2).sum().backward()",
        "torch.matmul(torch.ones(3), torch.ones(4))",
        "torch.ones(3, requires_grad=True).numpy()",
        "torch.ones(2, 3).transpose(0, 2)",
        "torch.ones(2, 3).permute(0)",
        "torch.stack([torch.ones(2), torch.ones(3)])",
        "torch.ones(2, 3, requires_grad=True).add_(1)",
        "F.mse_loss(torch.ones(3), torch.ones(3, 3))",
        "F.cross_entropy(torch.ones(2, 3), torch.tensor([0, 3]))",
        "torch.ones(2).expand(3)",
        "torch.ones(2, 2).squeeze(3)",
        "torch.dot(torch.ones(2), torch.ones(2, dtype=torch.float64))",
        "torch.tensor([1.0, 2.0]) @ torch.tensor([[1.0, 2.0, 3.0]])",
        "torch.ones(3).unsqueeze(3)",
        "torch.ones(2, 3).split(0)",
        "torch.ones(3)[torch.tensor([0, 5])]",
        "torch.ones(2, 3).gather(1, torch.tensor([[0], [3]]))",
        "torch.ones(3).softmax(dim=1)",
        "torch.ones(2, 3).narrow(1, 2, 5)",
        "torch.ones(2, 2).tril().bmm(torch.ones(2, 2))",
    ]

    def error_case(self, force=False):
        r = self.r
        p = self.p
        if not force and r.random() > 0.25:
            return
        k = r.random()
        leaves = [v for v in p.vars if v.rg and v.leaf]
        if k < 0.15 and "loss = " in "\n".join(p.lines):
            p.emit("loss.backward()")
            p.emit("loss.backward()")
        elif k < 0.25 and leaves:
            v = r.choice(leaves)
            p.emit(f"{v.name}.{r.choice(['add_(1)', 'mul_(2)', 'zero_()', 'sin_()'])}")
        elif k < 0.35 and leaves:
            v = r.choice([v for v in leaves])
            if v.shape and numel(v.shape) > 1:
                p.emit(f"({v.name} * 2).backward()")
            else:
                p.emit(f"{v.name}.detach().backward()")
        elif k < 0.45 and leaves:
            v = r.choice(leaves)
            if v.shape:
                p.emit(f"print({v.name}[{v.shape[0] + r.choice([0, 2])}])")
            else:
                p.emit(f"print({v.name}[0])")
        elif k < 0.55 and leaves:
            v = r.choice(leaves)
            p.emit(f"print({v.name}.sum(dim={len(v.shape) + 1}))")
        elif k < 0.62:
            v = self.pick()
            if v is not None:
                p.emit(f"y = {v.name} * 3")
                p.emit(f"y.{r.choice(['exp_()', 'mul_(2)', 'sigmoid_()'])}")
                p.emit("y.sum().backward()")
                p.emit("print(y)")
        else:
            p.emit(f"print({r.choice(self.ERRORS)})")


# ---------------------------------------------------------------------------
# the tutorial family: programs shaped like the lessons users learn from
# (autograd.grad with several outputs, retain_graph, hooks, .data writes, manual
# and torch.optim training loops, nn layers with weights set under no_grad)

TUTORIAL_BASE = 1_000_000  # seeds from here on are tutorial programs; below, the random-op family


class TutorialGen(Gen):
    """Each program strings together a few lesson-sized snippets with fresh names."""

    def vec(self, n, pos=False):
        return "[" + ", ".join(self.number(pos) for _ in range(n)) + "]"

    def mat(self, rows, cols, pos=False):
        return "[" + ", ".join(self.vec(cols, pos) for _ in range(rows)) + "]"

    def dt(self):
        return self.r.choice(["", "", "", ", dtype=torch.float64"])

    def shape(self):
        return self.r.choice([(1,), (2,), (3,), (2, 2), (2, 3), ()])

    def lit(self, shape, pos=False):
        return self.nested(shape, pos)

    def emit_grad_print(self, name):
        r = self.r
        k = r.random()
        if k < 0.5:
            self.p.emit(f"print({name}.grad)")
        elif k < 0.7:
            self.p.emit(f"print('{name}.grad:', {name}.grad)")
        elif k < 0.85:
            self.p.emit(f"print({name}.grad.tolist() if {name}.grad is not None else None)")
        else:
            self.p.emit(f"print({name}, {name}.grad, {name}.is_leaf, {name}.requires_grad)")

    # -- snippets -----------------------------------------------------------

    def s_lesson6(self):
        """The lesson-6 graph: leaves, intermediates, retain_grad, is_leaf/grad/grad_fn prints."""
        r, p = self.r, self.p
        w, x, a, b, y = (p.fresh(c) for c in "wxaby")
        p.emit(f"{w} = torch.tensor({self.vec(1)}, requires_grad=True)")
        p.emit(f"{x} = torch.tensor({self.vec(1)}, requires_grad=True)")
        p.emit(f"{a} = torch.add({w}, {x})")
        p.emit(f"{b} = {r.choice(['torch.add', 'torch.mul', 'torch.sub'])}({w}, {self.number()})")
        if r.random() < 0.5:
            p.emit(f"{a}.retain_grad()")
        p.emit(f"{y} = {r.choice(['torch.mul', 'torch.add', 'torch.div'])}({a}, {b})" if r.random() < 0.8
               else f"{y} = {a} * {b} + {a} ** 2")
        if r.random() < 0.3:
            p.emit(f"{y}.backward(retain_graph=True)")
            p.emit(f"{y}.backward()")
        else:
            p.emit(f"{y}.backward()")
        p.emit(f'print("is_leaf:\\n", {w}.is_leaf, {x}.is_leaf, {a}.is_leaf, {b}.is_leaf, {y}.is_leaf)')
        p.emit(f'print("gradient:\\n", {w}.grad, {x}.grad, {a}.grad, {b}.grad, {y}.grad)')
        p.emit(f'print("grad_fn:\\n", {w}.grad_fn, {x}.grad_fn, {a}.grad_fn, {b}.grad_fn, {y}.grad_fn)')

    def s_autograd_grad(self):
        """autograd.grad with several outputs and inputs, grad_outputs, retain_graph, allow_unused."""
        r, p = self.r, self.p
        shp = self.shape()
        dt = self.dt()
        x, y, z, u, v = (p.fresh(c) for c in "xyzuv")
        p.emit(f"{x} = torch.tensor({self.lit(shp, pos=True)}{dt}, requires_grad=True)")
        p.emit(f"{y} = torch.tensor({self.lit(shp)}{dt}, requires_grad=True)")
        unused = r.random() < 0.3
        if unused:
            p.emit(f"{z} = torch.tensor({self.lit(shp)}{dt}, requires_grad=True)")
        f1 = r.choice([f"{x} ** 2 * {y}", f"torch.sin({x}) + {y}", f"{x} * {y} + {y} ** 3", f"torch.exp({y}) * {x}",
                       f"torch.log({x}) - {y}"])
        f2 = r.choice([f"({x} + {y}).sum()", f"({x} * {y}).mean()", f"{x}.pow(3).sum()", f"torch.tanh({y}).sum()"])
        p.emit(f"{u} = {f1}")
        p.emit(f"{v} = {f2}")
        ins = [x, y] + ([z] if unused else [])
        r.shuffle(ins)
        au = ", allow_unused=True" if unused and r.random() < 0.8 else ""
        rg = ", retain_graph=True" if r.random() < 0.5 else ""
        cg = ", create_graph=True" if r.random() < 0.2 else ""
        form = r.random()
        if form < 0.4:
            go = f"torch.ones_like({u})" if r.random() < 0.6 else f"torch.full_like({u}, {self.number()})"
            p.emit(f"g = torch.autograd.grad([{u}, {v}], [{', '.join(ins)}], grad_outputs=[{go}, torch.tensor({self.number()}{dt})]{rg}{au}{cg})")
        elif form < 0.7:
            p.emit(f"g = torch.autograd.grad({u}.sum(), ({', '.join(ins)}){rg}{au}{cg})")
        else:
            p.emit(f"g = torch.autograd.grad(outputs={v}, inputs=[{', '.join(ins)}]{rg}{au}{cg})")
        k = r.random()
        if k < 0.4:
            p.emit("print(g)")
        elif k < 0.7:
            p.emit("for i, gi in enumerate(g):\n    print(i, gi)")
        else:
            p.emit("print(isinstance(g, tuple), len(g), [t is None for t in g])")
        if rg and r.random() < 0.6:
            p.emit(f"g2 = torch.autograd.grad({v}, {x}{au})")
            p.emit("print(g2[0])")
        elif not rg and r.random() < 0.3:
            p.emit(f"g2 = torch.autograd.grad({v}, {x})  # graph already freed (unless v's graph was separate)")
            p.emit("print(g2)")
        if cg and r.random() < 0.7:
            p.emit("print(g[0].grad_fn is not None, g[0].requires_grad)")

    def s_retain_twice(self):
        """retain_graph=True then a second backward accumulates; then .grad.zero_() / = None."""
        r, p = self.r, self.p
        shp = self.shape()
        x, y = p.fresh("x"), p.fresh("y")
        p.emit(f"{x} = torch.tensor({self.lit(shp)}{self.dt()}, requires_grad=True)")
        p.emit(f"{y} = ({r.choice([f'{x} ** 2', f'torch.sin({x}) * {x}', f'{x} * 3 + 1', f'torch.sigmoid({x})'])}).sum()")
        p.emit(f"{y}.backward(retain_graph=True)")
        self.emit_grad_print(x)
        k = r.random()
        if k < 0.3:
            p.emit(f"{x}.grad.zero_()")
        elif k < 0.45:
            p.emit(f"{x}.grad.data.zero_()")
        elif k < 0.6:
            p.emit(f"{x}.grad = None")
        p.emit(f"{y}.backward({'retain_graph=True' if r.random() < 0.3 else ''})")
        self.emit_grad_print(x)
        if r.random() < 0.3:
            p.emit(f"{y}.backward()  # third time: the graph is freed unless retained")
            self.emit_grad_print(x)

    def s_requires_grad_later(self):
        r, p = self.r, self.p
        shp = self.shape()
        x, y = p.fresh("x"), p.fresh("y")
        p.emit(f"{x} = torch.tensor({self.lit(shp)}{self.dt()})")
        p.emit(f"print({x}.requires_grad, {x}.is_leaf, {x}.grad_fn)")
        p.emit(f"{x}.requires_grad_({'' if r.random() < 0.7 else 'True'})")
        p.emit(f"{y} = ({x} * {x}).sum()" if r.random() < 0.5 else f"{y} = torch.mean({x} ** 3)")
        p.emit(f"print({y}.requires_grad, {y}.grad_fn)")
        p.emit(f"{y}.backward()")
        self.emit_grad_print(x)
        if r.random() < 0.4:
            p.emit(f"{y}.requires_grad_(False)  # a non-leaf: torch refuses")

    def s_detach_data(self):
        r, p = self.r, self.p
        shp = self.shape() or (2,)
        x, y, d = p.fresh("x"), p.fresh("y"), p.fresh("d")
        p.emit(f"{x} = torch.tensor({self.lit(shp)}, requires_grad=True)")
        p.emit(f"{y} = {r.choice([f'{x} ** 2', f'{x}.exp()', f'torch.sigmoid({x})', f'{x} * 2'])}")
        k = r.random()
        if k < 0.35:
            p.emit(f"{d} = {y}.detach()")
            p.emit(f"print({d}.requires_grad, {d}.is_leaf, {d}.grad_fn)")
            p.emit(f"{d}.zero_()" if r.random() < 0.5 else f"{d}[0] = 10.0" if shp else f"{d}.fill_(10.0)")
            p.emit(f"print({y})")
            p.emit(f"{y}.sum().backward()  # y's saved result was changed through the detached view")
            self.emit_grad_print(x)
        elif k < 0.65:
            p.emit(f"{d} = {y}.data")
            p.emit(f"print({d}.requires_grad, {d})")
            p.emit(f"{d}.mul_({self.number(pos=True)})")
            p.emit(f"print({y})")
            p.emit(f"{y}.sum().backward()")
            self.emit_grad_print(x)
        else:
            p.emit(f"{x}.data = torch.tensor({self.lit(shp)})" if r.random() < 0.5 else f"{x}.data.add_(1.0)")
            p.emit(f"print({x}, {x}.requires_grad)")
            p.emit(f"{y} = ({x} * {x}).sum()")
            p.emit(f"{y}.backward()")
            self.emit_grad_print(x)

    def s_manual_sgd(self):
        r, p = self.r, self.p
        n = r.choice([3, 4])
        w, b = p.fresh("w"), p.fresh("b")
        xs = self.vec(n)
        ys = self.vec(n)
        p.emit(f"xs = torch.tensor({xs})")
        p.emit(f"ys = torch.tensor({ys})")
        p.emit(f"{w} = torch.tensor({self.number()}, requires_grad=True)")
        p.emit(f"{b} = torch.zeros(1, requires_grad=True)" if r.random() < 0.5 else f"{b} = torch.tensor(0.0, requires_grad=True)")
        lr = r.choice(["0.1", "0.01", "0.05"])
        steps = r.randint(2, 4)
        zero = r.choice(["zero", "none", "data"])
        p.emit(f"for epoch in range({steps}):")
        p.emit(f"    pred = {w} * xs + {b}")
        p.emit("    loss = ((pred - ys) ** 2).mean()" if r.random() < 0.6 else "    loss = torch.sum((pred - ys) ** 2) / len(xs)")
        p.emit("    loss.backward()")
        p.emit("    with torch.no_grad():")
        if r.random() < 0.5:
            p.emit(f"        {w} -= {lr} * {w}.grad")
            p.emit(f"        {b} -= {lr} * {b}.grad")
        else:
            p.emit(f"        {w}.sub_({lr} * {w}.grad)")
            p.emit(f"        {b}.sub_({b}.grad, alpha={lr})")
        if zero == "zero":
            p.emit(f"        {w}.grad.zero_()")
            p.emit(f"        {b}.grad.zero_()")
        elif zero == "none":
            p.emit(f"        {w}.grad = None")
            p.emit(f"        {b}.grad = None")
        else:
            p.emit(f"    {w}.grad.data.zero_()")
            p.emit(f"    {b}.grad.data.zero_()")
        fmt = r.choice([":.4f", ":.6f", ""])
        p.emit(f"    print(f'epoch {{epoch}}: loss={{loss.item(){fmt}}}, w={{{w}.item(){fmt}}}')")
        p.emit(f"print({w}, {b})")
        if r.random() < 0.3:
            p.emit(f"print({w}.grad)")

    def s_optim(self):
        r, p = self.r, self.p
        opt = r.choice(["SGD", "SGD", "Adam"])
        lin = p.fresh("lin")
        i, o = r.choice([(2, 1), (3, 2), (2, 2), (1, 1)])
        seq = r.random() < 0.3
        p.emit("import torch.nn as nn" if r.random() < 0.7 else "from torch import nn")
        if seq:
            p.emit(f"{lin} = nn.Sequential(nn.Linear({i}, {o}), nn.{r.choice(['ReLU', 'Tanh', 'Sigmoid'])}())")
            layer = f"{lin}[0]"
        else:
            bias = "" if r.random() < 0.8 else ", bias=False"
            p.emit(f"{lin} = nn.Linear({i}, {o}{bias})")
            layer = lin
        has_bias = seq or "bias=False" not in p.lines[-1]
        p.emit("with torch.no_grad():")
        p.emit(f"    {layer}.weight.copy_(torch.tensor({self.mat(o, i)}))")
        if has_bias:
            p.emit(f"    {layer}.bias.copy_(torch.tensor({self.vec(o)}))" if r.random() < 0.7 else f"    {layer}.bias.fill_({self.number()})")
        n = r.choice([2, 3, 4])
        p.emit(f"X = torch.tensor({self.mat(n, i)})")
        ce = o >= 2 and r.random() < 0.4
        if ce:
            p.emit(f"T = torch.tensor({[r.randrange(o) for _ in range(n)]})")
            p.emit("crit = nn.CrossEntropyLoss()")
        else:
            p.emit(f"T = torch.tensor({self.mat(n, o)})")
            crit = r.choice(["MSELoss()", "MSELoss()", "L1Loss()", "MSELoss(reduction='sum')"])
            p.emit(f"crit = nn.{crit}")
        lr = r.choice(["0.1", "0.01", "0.5"])
        if opt == "SGD":
            mom = r.choice(["", ", momentum=0.9", ", momentum=0.5"])
            p.emit(f"optimizer = torch.optim.SGD({lin}.parameters(), lr={lr}{mom})")
        else:
            p.emit(f"optimizer = torch.optim.Adam({lin}.parameters(), lr={lr})")
        p.emit(f"for step in range({r.randint(1, 4)}):")
        p.emit("    optimizer.zero_grad()")
        p.emit(f"    out = {lin}(X)")
        p.emit("    loss = crit(out, T)")
        p.emit("    loss.backward()")
        p.emit("    optimizer.step()")
        k = r.random()
        if k < 0.5:
            p.emit("    print(f'step {step}: {loss.item():.4f}')")
        elif k < 0.8:
            p.emit("    print(step, loss)")
        else:
            p.emit("    print(loss.item())")
        k = r.random()
        if k < 0.3:
            p.emit(f"print({layer}.weight)")
            if has_bias:
                p.emit(f"print({layer}.bias)")
        elif k < 0.5:
            p.emit(f"print({layer}.weight.grad)")
        elif k < 0.7:
            p.emit(f"for name, prm in {lin}.named_parameters():\n    print(name, prm.shape, prm.data)")
        else:
            p.emit(f"print(list({lin}.parameters()))")
        if r.random() < 0.2:
            p.emit(f"print({lin})")

    def s_hooks(self):
        r, p = self.r, self.p
        shp = self.shape()
        x, y, z = p.fresh("x"), p.fresh("y"), p.fresh("z")
        p.emit(f"{x} = torch.tensor({self.lit(shp)}, requires_grad=True)")
        p.emit(f"{y} = {r.choice([f'{x} * 2', f'{x} ** 2', f'torch.sin({x})', f'{x} + 1'])}")
        hooks = [
            "lambda grad: grad * 2",
            "lambda grad: None",
            "lambda g: print('hook', g)",
            "lambda g: g + 1",
            "lambda g: g.clamp(min=0)",
        ]
        on = r.choice([x, y, x, y, "both"])
        if on in (x, "both"):
            p.emit(f"hx = {x}.register_hook({r.choice(hooks)})")
        if on in (y, "both"):
            p.emit(f"hy = {y}.register_hook({r.choice(hooks)})")
        if r.random() < 0.4:
            p.emit(f"{y}.retain_grad()")
        p.emit(f"{z} = {r.choice([f'{y}.sum()', f'({y} * {y}).mean()', f'{y}.sum() * 3'])}")
        p.emit(f"{z}.backward({'retain_graph=True' if r.random() < 0.3 else ''})")
        self.emit_grad_print(x)
        p.emit(f"print({y}.grad)")
        if r.random() < 0.3 and on in (x, "both"):
            p.emit("hx.remove()")
            p.emit(f"{x}.grad = None")
            p.emit(f"({x} * 3).sum().backward()")
            self.emit_grad_print(x)

    def s_return_types(self):
        r, p = self.r, self.p
        a = p.fresh("a")
        rows, cols = r.choice([(2, 3), (3, 2), (2, 2), (3, 3)])
        p.emit(f"{a} = torch.tensor({self.mat(rows, cols)}, requires_grad={r.choice(['True', 'False'])})")
        fn = r.choice(["max", "min", "median", "sort", "topk", "max"])
        d = r.choice([0, 1, -1])
        if fn == "sort":
            call = f"torch.sort({a}, dim={d}{r.choice(['', ', descending=True'])})"
        elif fn == "topk":
            call = f"torch.topk({a}, {r.choice([1, 2])}, dim={r.choice([1, -1])}{r.choice(['', ', largest=False'])})"
        elif fn == "kthvalue":
            call = f"torch.kthvalue({a}, 1, dim={d})"
        elif fn == "mode":
            call = f"torch.mode({a}, dim={d})"
        else:
            call = r.choice([f"{a}.{fn}(dim={d})", f"torch.{fn}({a}, {d})", f"{a}.{fn}({d}, keepdim=True)"])
        p.emit(f"res = {call}")
        k = r.random()
        if k < 0.4:
            p.emit("print(res)")
        elif k < 0.6:
            p.emit("print(res.values, res.indices)")
        elif k < 0.8:
            p.emit("vals, idx = res\nprint(vals, idx)")
        else:
            p.emit("print(res[0].shape, res[1].dtype, len(res))")
        p.emit(f"if {a}.requires_grad:\n    res.values.sum().backward()\n    print({a}.grad)\n    print(res.values.grad_fn)")

    def s_collections(self):
        r, p = self.r, self.p
        x = p.fresh("x")
        p.emit(f"{x} = torch.tensor({self.vec(r.choice([2, 3]))}, requires_grad=True)")
        p.emit(f"parts = [{x} * 2, {x}.sum(), torch.exp({x})]")
        k = r.random()
        if k < 0.4:
            p.emit("print(parts)")
        elif k < 0.7:
            p.emit("print(tuple(parts))")
        else:
            p.emit(f"print({{'a': {x}, 'b': {x}.detach()}})")
        p.emit(f"torch.autograd.backward([parts[0].sum(), parts[1]]{', grad_tensors=[torch.tensor(1.0), torch.tensor(2.0)]' if r.random() < 0.6 else ''})")
        self.emit_grad_print(x)

    def s_backward_grad_tensors(self):
        r, p = self.r, self.p
        x, z = p.fresh("x"), p.fresh("z")
        n = r.choice([2, 3])
        p.emit(f"{x} = torch.tensor({self.vec(n)}, requires_grad=True)")
        p.emit(f"{z} = {r.choice([f'{x} ** 2', f'{x} * 3', f'torch.exp({x})', f'{x} ** 3 + {x}'])}")
        gt = f"torch.tensor({self.vec(n)})"
        k = r.random()
        if k < 0.4:
            p.emit(f"torch.autograd.backward({z}, grad_tensors={gt})")
        elif k < 0.7:
            p.emit(f"{z}.backward({gt})")
        else:
            p.emit(f"torch.autograd.backward([{z}], [{gt}])")
        self.emit_grad_print(x)

    def s_functional(self):
        r, p = self.r, self.p
        fn = r.choice(["jacobian", "jacobian", "hessian"])
        n = r.choice([2, 3])
        inp = f"torch.tensor({self.vec(n)}{self.dt()})"
        if fn == "jacobian":
            f = r.choice(["lambda x: x ** 2", "lambda x: torch.sin(x) * x", "lambda x: x.sum() * x",
                          "lambda x: torch.exp(x).cumsum(0)"])
            if r.random() < 0.3:
                p.emit(f"J = torch.autograd.functional.jacobian(lambda a, b: a * b, ({inp}, {inp}))")
            else:
                p.emit(f"J = torch.autograd.functional.jacobian({f}, {inp})")
        else:
            f = r.choice(["lambda x: (x ** 3).sum()", "lambda x: torch.sin(x).sum()", "lambda x: (x * x).prod()",
                          "lambda x: x.norm()"])
            p.emit(f"J = torch.autograd.functional.hessian({f}, {inp})")
        p.emit("print(J)")

    def s_error(self):
        r, p = self.r, self.p
        k = r.randrange(7)
        x, y = p.fresh("x"), p.fresh("y")
        shp = self.shape() or (2,)
        p.emit(f"{x} = torch.tensor({self.lit(shp, pos=True)}, requires_grad=True)")
        if k == 0:  # backward twice
            p.emit(f"{y} = ({x} ** 2).sum()")
            p.emit(f"{y}.backward()")
            p.emit(f"{y}.backward()")
        elif k == 1:  # non-scalar backward
            p.emit(f"{y} = {x} * 2")
            p.emit(f"{y}.backward()")
        elif k == 2:  # in-place on a leaf
            p.emit(f"{x}{r.choice(['.add_(1)', '.mul_(2)', '[0] = 1.0', ' += 1', '.zero_()'])}")
        elif k == 3:  # version counter: a saved tensor changed in place
            fn = r.choice([f"torch.exp({x})", f"torch.sigmoid({x})", f"torch.tanh({x})", f"{x} ** 2"])
            p.emit(f"{y} = {fn}")
            p.emit(f"{y}.{r.choice(['add_(1)', 'mul_(2)', 'zero_()'])}" if "**" not in fn else f"z = {y} * {y}\n{y}.add_(1)\n{y} = z")
            p.emit(f"{y}.sum().backward()")
            self.emit_grad_print(x)
        elif k == 4:  # autograd.grad on something not requiring grad / unused input
            c = p.fresh("c")
            p.emit(f"{c} = torch.tensor({self.lit(shp)}, requires_grad=True)")
            p.emit(f"{y} = ({x} * 2).sum()")
            p.emit(f"print(torch.autograd.grad({y}, [{x}, {c}]))")
        elif k == 5:  # grad of a leaf's .grad before backward, then item on non-scalar
            p.emit(f"print({x}.grad)")
            p.emit(f"print({x}.item())")
        else:  # numpy of a tensor requiring grad, then in no_grad
            p.emit(f"with torch.no_grad():\n    {y} = {x} * 2\nprint({y}.requires_grad)")
            p.emit(f"{y}.sum().backward()")

    SNIPPETS = ["s_lesson6", "s_autograd_grad", "s_autograd_grad", "s_retain_twice", "s_requires_grad_later",
                "s_detach_data", "s_manual_sgd", "s_optim", "s_optim", "s_hooks", "s_hooks", "s_return_types",
                "s_collections", "s_backward_grad_tensors", "s_functional"]

    def generate(self) -> str:
        r, p = self.r, self.p
        p.emit("import torch")
        if r.random() < 0.15:
            p.emit("torch.set_printoptions(precision=6)")
        for name in r.sample(self.SNIPPETS, r.choice([1, 2, 2, 3])):
            getattr(self, name)()
        if r.random() < 0.3:
            self.s_error()
        return "\n".join(p.lines) + "\n"


def generate(seed: int) -> str:
    if seed >= TUTORIAL_BASE:
        return TutorialGen(seed).generate()
    return Gen(seed).generate()


# ---------------------------------------------------------------------------
# running and comparing

_ADDR = re.compile(r" at 0x[0-9a-fA-F]+")


def normalize(text: str) -> str:
    return _ADDR.sub(" at 0x", text)


def run_gradcli(source: str, name="p.py"):
    from gradcli.autograd import dtypes, grad_mode, printing
    from gradcli.errors import SourceError
    from gradcli.interp import run
    from gradcli.syntax import parse

    # a fresh process's state, as the CLI starts every run
    dtypes.set_default_dtype(dtypes.float32)
    printing.set_printoptions(profile="default")
    grad_mode.state.enabled = True
    out = io.StringIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run(parse(source, name), stdout=out)
    except SourceError as e:
        return out.getvalue(), e.message
    except Exception as e:  # noqa: BLE001 - a crash inside gradcli is a finding
        return out.getvalue(), f"CRASH {type(e).__name__}: {e}"
    return out.getvalue(), None


def run_torch(source: str, name="p.py"):
    import torch

    out = io.StringIO()
    torch.set_printoptions(profile="default")
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, name, "exec"), {"__name__": "__main__"})  # the oracle
    except Exception as e:  # noqa: BLE001
        cls = type(e)
        nm = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
        text = str(e)
        return out.getvalue(), f"{nm}: {text}" if text else nm
    finally:
        torch.set_printoptions(profile="default")
    return out.getvalue(), None


_NUM = re.compile(r"-?(?:\d+\.\d*(?:e[+-]?\d+)?|\d+e[+-]?\d+|\d+|inf|nan)")


def _close_numbers(a: str, b: str) -> bool:
    """The lines differ only in numbers that agree to float32 rounding noise."""
    if _NUM.sub("#", a) != _NUM.sub("#", b):
        return False
    for x, y in zip(_NUM.findall(a), _NUM.findall(b)):
        if x == y:
            continue
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if abs(fx - fy) > 2e-6 * max(1.0, abs(fx), abs(fy)):
            return False
    return True


def classify(got, want) -> str | None:
    """None if equal, else the kind of the first difference."""
    gout, gerr = got
    tout, terr = want
    gout, tout = normalize(gout), normalize(tout)
    if gerr and (gerr.startswith("CRASH") or gerr.startswith("numpy.") or "internal error" in gerr):
        return "crash"  # an exception of ours or numpy's leaked out
    if gout != tout:
        gl, tl = gout.splitlines(), tout.splitlines()
        for a, b in zip(gl, tl):
            if a == b:
                continue
            if "Backward" in a or "Backward" in b:
                if re.sub(r"\w+Backward\d+", "G", a) == re.sub(r"\w+Backward\d+", "G", b):
                    return "grad_fn"
            if "dtype" in a or "dtype" in b or "torch.float" in a + b:
                if re.sub(r"torch\.\w+", "D", a) == re.sub(r"torch\.\w+", "D", b):
                    return "dtype"
            if _close_numbers(" ".join(a.split()), " ".join(b.split())):
                return "value_ulp"  # float32/float64 last-digit noise (column widths may follow)
            if _NUM.sub("#", a) == _NUM.sub("#", b):
                return "value"
            return "text"
        # one is a prefix of the other: one stopped early
        if gerr and not terr:
            if "has no attribute" in gerr or "not supported" in gerr or "NotImplemented" in gerr:
                return "missing_op"
            return "spurious_error"
        if terr and not gerr:
            return "missing_error"
        return "text"
    if gerr == terr:
        return None
    if gerr is None:
        return "missing_error"
    if terr is None:
        if "has no attribute" in gerr or "not supported" in gerr or "NotImplemented" in gerr or "unsupported" in gerr:
            return "missing_op"
        return "spurious_error"
    if gerr.split(":")[0] != terr.split(":")[0]:
        return "error_type"
    return "error_text"


def compare(seed: int):
    src = generate(seed)
    got = run_gradcli(src)
    want = run_torch(src)
    return src, got, want, classify(got, want)


def diff_text(got, want) -> str:
    import difflib

    a = normalize(got[0]).splitlines() + [f"ERROR {got[1]}"]
    b = normalize(want[0]).splitlines() + [f"ERROR {want[1]}"]
    return "\n".join(difflib.unified_diff(b, a, "torch", "gradcli", lineterm="", n=1))



def mismatch(source: str) -> str | None:
    """None when ``source`` prints the same under gradcli and torch; else the program and the diff."""
    with contextlib.redirect_stderr(io.StringIO()):  # both sides' warnings
        got, want = run_gradcli(source), run_torch(source)
    return None if classify(got, want) is None else f"{source}\n{diff_text(got, want)}"

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="0:200", help="a:b range or a single seed")
    ap.add_argument("--show", action="store_true", help="print each differing program and diff")
    ap.add_argument("--kind", help="only report this kind")
    ap.add_argument("--examples", type=int, default=2, help="example seeds listed per kind")
    args = ap.parse_args(argv)
    if ":" in args.seeds:
        a, b = args.seeds.split(":")
        seeds = range(int(a), int(b))
    else:
        seeds = [int(args.seeds)]
    kinds = Counter()
    examples: dict = {}
    errors_hit = 0
    for s in seeds:
        with contextlib.redirect_stderr(io.StringIO()):  # both sides' warnings
            src, got, want, kind = compare(s)
        if want[1]:
            errors_hit += 1
        if kind is None or (args.kind and kind != args.kind):
            continue
        kinds[kind] += 1
        examples.setdefault(kind, []).append(s)
        if args.show:
            print(f"==== seed {s}: {kind}\n{src}---- diff (torch -> gradcli)\n{diff_text(got, want)}\n")
    n = len(seeds)
    print(f"{n} programs, {n - sum(kinds.values())} equal, {errors_hit} end in a torch error")
    for kind, c in kinds.most_common():
        print(f"  {kind:15s} {c:5d}   e.g. seeds {examples[kind][:args.examples]}")
    return 1 if kinds else 0


if __name__ == "__main__":
    sys.exit(main())
