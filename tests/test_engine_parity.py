"""What a user sees of the engine, compared with torch: grad_fn called by hand (one gradient
per output of the op, torch's argument errors), and tensor hooks (with None for an output
that gets no gradient, torch's checks of what a hook returns)."""

from __future__ import annotations

import pytest

import difftest_gen as dg


def _same_as_torch(body: str) -> None:
    pytest.importorskip("torch")
    problem = dg.mismatch("import torch\n" + body.strip("\n") + "\n")
    assert problem is None, problem


_X = "x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.5, 6.0]], requires_grad=True)\n"
_B = "b = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)\n"

# one output each, then ops with several outputs (torch: one node, one gradient per output)
NODES = {
    "mul": ("y = x * 2", "g"), "mul broadcast": ("y = x * b", "g"), "sum": ("y = x.sum()", "g"),
    "max dim": ("y = torch.max(x, 0)[0]", "g"), "max": ("y = x.max()", "g"), "view": ("y = x.view(6)", "g"),
    "expand": ("y = b.expand(2, 3)", "g"), "sort": ("y = x.sort(1)[0]", "g"), "topk": ("y = x.topk(2)[0]", "g"),
    "copy slices": ("y = x.clone()\ny[0] = 5.0", "g"), "mean": ("y = x.mean(1, keepdim=True)", "g"),
    "split": ("y = torch.split(x, 1)[0]", "g, g"), "split sizes": ("y = torch.split(x, [1, 1, 1], 1)[1]", "None, g, g"),
    "chunk": ("y = x.chunk(3, 1)[2]", "g, None, g"), "unbind": ("y = x.unbind(1)[1]", "g, g, None"),
    "var_mean": ("y = torch.var_mean(x, 1)[0]", "g, None"), "std_mean": ("y = torch.std_mean(x, 1)[1]", "g, g"),
    "aminmax": ("y = torch.aminmax(x, dim=1)[1]", "None, g"),
}
CALLS = {"no gradient": "", "one": "g", "None": "None", "two": "g, g", "three": "g, g, g",
         "a number": "1.0", "right count": None}


@pytest.mark.parametrize("call", CALLS, ids=list(CALLS))
@pytest.mark.parametrize("node", NODES, ids=list(NODES))
def test_calling_a_grad_fn_by_hand(node, call):
    setup, right = NODES[node]
    args = right if CALLS[call] is None else CALLS[call]
    _same_as_torch(_X + _B + setup + "\ng = torch.ones_like(y)\nprint(y.grad_fn.name())\n"
                   f"r = y.grad_fn({args})\nprint(r)\nprint(isinstance(r, tuple))")


@pytest.mark.parametrize("call", ["", "g", "g, g", "None", "1.0"])
def test_calling_accumulate_grad_by_hand(call):
    _same_as_torch(_X + "acc = x.sum().grad_fn.next_functions[0][0]\ng = torch.ones(2, 3)\n"
                   f"print(acc.name())\nprint(acc({call}))\nprint(acc({call}), x.grad)")


def test_grad_fn_called_under_no_grad_and_with_grad():
    _same_as_torch(_X + "y = x * x\nwith torch.no_grad():\n    print(y.grad_fn(torch.ones(2, 3)))\n"
                   "print(y.grad_fn(torch.ones(2, 3)))\nprint(y.grad_fn(torch.ones(2, 3, dtype=torch.float64)))")


HOOKS = {
    "var_mean, one output used": "v, m = torch.var_mean(y, 1)\nm.register_hook(lambda g: print('m', g))\n"
                                 "v.register_hook(lambda g: print('v', g))\nm.retain_grad()\nv.sum().backward()\n"
                                 "print(m.grad)",
    "std_mean, the other": "s, m = torch.std_mean(y)\ns.register_hook(lambda g: print('s', g))\n"
                           "m.register_hook(lambda g: print('m', g))\nm.backward()",
    "unbind": "a, b = y.unbind()\nb.register_hook(lambda g: print('b', g))\na.register_hook(lambda g: print('a', g))\n"
              "y.register_hook(lambda g: print('y', g))\na.sum().backward()",
    "split, three": "p = y.split(1, 1)\np[2].register_hook(lambda g: print(2, g))\n"
                    "p[0].register_hook(lambda g: print(0, g))\np[1].register_hook(lambda g: print(1, g))\n"
                    "p[0].retain_grad()\np[1].retain_grad()\np[0].sum().backward()\nprint(p[0].grad, p[1].grad)",
    "a tensor no gradient reaches": "z = x * 3\nz.register_hook(lambda g: print('z', g))\ny.sum().backward()",
    "unused input of grad": "w = x * 3\nw.register_hook(lambda g: print('w', g))\n"
                            "print(torch.autograd.grad(y.sum(), [x, w], allow_unused=True))",
    "hook then retain_grad": "y.register_hook(lambda g: g * 10)\ny.retain_grad()\n"
                             "y.register_hook(lambda g: print(g) or g + 1)\n(y * y).sum().backward()\n"
                             "print(y.grad, x.grad)",
    "retain_grad then hook": "y.retain_grad()\ny.register_hook(lambda g: g * 10)\n(y * y).sum().backward()\n"
                             "print(y.grad, x.grad)",
    "leaf hooks": "x.register_hook(lambda g: g * 10)\nx.register_hook(lambda g: print(g))\n"
                  "(x * x).sum().backward()\nprint(x.grad)",
    "hook under create_graph": "y.register_hook(lambda g: print(g.requires_grad) or g * y)\n"
                               "gx, = torch.autograd.grad((y * x).sum(), x, create_graph=True)\n"
                               "print(gx)\ngx.sum().backward()\nprint(x.grad)",
    "returns a number": "y.register_hook(lambda g: 5)\ny.sum().backward()",
    "changes the size": "def grow(g):\n    return torch.ones(7)\ny.register_hook(grow)\ny.sum().backward()",
    "changes the size by a dim": "y.register_hook(lambda g: g.unsqueeze(0))\ny.sum().backward()",
    "changes the type": "y.register_hook(lambda g: g.double())\ny.sum().backward()",
    "leaf, changes the size": "x.register_hook(lambda g: g[0])\ny.sum().backward()",
    "leaf, changes the type": "x.register_hook(lambda g: g.double())\ny.sum().backward()",
    "no gradient flows on (norm 0)": "x.register_hook(lambda g: print('x', g))\ny.register_hook(lambda g: print('y', g))\n"
                                      "n = torch.norm(y, 0)\nn.register_hook(lambda g: print('n', g))\nn.backward()\n"
                                      "print(x.grad)",
    "no gradient to a leaf, grad": "x.register_hook(lambda g: print('x', g))\n"
                                   "print(torch.autograd.grad(torch.norm(x, 0), x, allow_unused=True))",
    "replaces None": "a, b = y.split(1)\nb.register_hook(lambda g: torch.ones(1, 3))\na.sum().backward()",
}
# torch runs the hooks of all outputs of a multi-output op together, when its one node runs: in the
# order each output got its first hook, whichever output's gradient came first
_ABC = "a, b, c = y.unbind(1)\n"
_HOOK = "{0}.register_hook(lambda g: print('{1}', g))\n"
HOOKS.update({
    "unbind, two of three used": _ABC + "".join(_HOOK.format(t, n) for t, n in
                                                [("a", "a"), ("b", "b"), ("c", "c"), ("a", "a2")])
                                 + "(a * 3 + b * b).sum().backward()\nprint(x.grad)",
    "unbind, hooks in reverse": _ABC + "".join(_HOOK.format(t, t) for t in "cba")
                                + "b.retain_grad()\n(b * b + a.exp()).sum().backward()\nprint(x.grad, b.grad)",
    "unbind, hooks change the gradients": _ABC + "a.register_hook(lambda g: g * 10)\nc.register_hook(lambda g: g + 1)\n"
                                          "b.register_hook(lambda g: print('b', g))\nc.retain_grad()\na.retain_grad()\n"
                                          "(a * c).sum().backward()\nprint(x.grad, a.grad, c.grad)",
    "unbind, one used twice": _ABC + "".join(_HOOK.format(t, t) for t in "bca")
                              + "(c * 2 + (c * 3).exp() + a).sum().backward()\nprint(x.grad)",
    "split, later pieces first": "p = y.split(1, 1)\n" + "".join(_HOOK.format(f"p[{i}]", i) for i in (1, 0, 2))
                                 + "(p[2] * p[0] + p[1]).sum().backward()\nprint(x.grad)",
    "aminmax, one used": "lo, hi = torch.aminmax(y, dim=1)\n" + _HOOK.format("hi", "hi") + _HOOK.format("lo", "lo")
                         + "(lo * 3).sum().backward()\nprint(x.grad)",
    "var_mean, both used": "v, m = torch.var_mean(y, 1)\n" + _HOOK.format("m", "m") + _HOOK.format("v", "v")
                           + "(v * m).sum().backward()\nprint(x.grad)",
    "unbind, grad with inputs": _ABC + "".join(_HOOK.format(t, t) for t in "cab")
                                + "print(torch.autograd.grad((a * b).sum(), [x]))",
    "unbind, create_graph": _ABC + "".join(_HOOK.format(t, t) for t in "bac")
                            + "gx, = torch.autograd.grad((a * b).sum(), x, create_graph=True)\nprint(gx)\n"
                              "gx.sum().backward()\nprint(x.grad)",
    "unbind, node pre-hook": _ABC + _HOOK.format("b", "b") + _HOOK.format("a", "a")
                             + "a.grad_fn.register_prehook(lambda gs: print('pre a', gs))\n"
                               "(a + b).sum().backward()\nprint(x.grad)",
    "split, node pre-hook replaces": "p = y.split(1, 1)\n" + _HOOK.format("p[2]", 2)
                                     + "p[1].grad_fn.register_prehook(lambda gs: print('pre', gs) or "
                                       "tuple(None if g is None else g * 10 for g in gs))\n"
                                       "(p[0] * p[2]).sum().backward()\nprint(x.grad)",
})


@pytest.mark.parametrize("body", HOOKS.values(), ids=list(HOOKS))
def test_tensor_hooks(body):
    _same_as_torch(_X + "y = x * 2\n" + body)


# views made under no_grad, by detach() or by a multi-output op, then written in place (or used)
NO_GRAD_VIEWS = {
    "view modified": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\nv.mul_(2)",
    "its base modified": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\ny.mul_(2)\nprint(v.grad_fn)",
    "base modified, then backward": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\ny[1] = 3.0\nv.sum().backward()",
    "a view of it modified": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\nw = v[1:]\nw.mul_(2)",
    "setitem on it": "y = x * 2\nwith torch.no_grad():\n    v = y.view(6)\nv[0] = 5.0",
    "with an input that requires grad": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\nv.add_(x[0])",
    "view of a leaf": "with torch.no_grad():\n    v = x[0]\nv.mul_(2)",
    "leaf modified": "with torch.no_grad():\n    v = x[0]\nx.mul_(2)",
    "both inside no_grad": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\n    v.mul_(2)\nprint(y)\n"
                           "y.sum().backward()\nprint(x.grad)",
    "no edge of its own": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\nz = v * x[1]\n"
                          "print(v.requires_grad, v.is_leaf, v.grad_fn)\n"
                          "print([f is None for f, _ in z.grad_fn.next_functions])\nz.sum().backward()\nprint(x.grad)",
    "grad of it": "with torch.no_grad():\n    v = x[0]\nprint(torch.autograd.grad((v * 2).sum(), v))",
    "grad of it, allow_unused": "with torch.no_grad():\n    v = x[0]\n"
                                "print(torch.autograd.grad((v * 2).sum(), [v, x], allow_unused=True))",
    "backward inputs": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\n(v * 2).sum().backward(inputs=[v])\nprint(v.grad)",
    "retain_grad and hook": "y = x * 2\nwith torch.no_grad():\n    v = y[0]\nv.retain_grad()\n"
                            "v.register_hook(lambda g: print('hook', g))\n(v * 2).sum().backward()\nprint(v.grad, x.grad)",
    "detach() view": "y = x * 2\nd = y.detach()[0]\nd.mul_(2)\nprint(y)",
    "detach() base, view gets history": "y = x.detach()\nv = y[0]\nv.mul_(x[0])\nprint(y)\n"
                                        "y.sum().backward()\nprint(x.grad)",
    "unbind piece": "y = x * 2\na, b = y.unbind()\na.mul_(2)",
    "split piece": "y = x * 2\na, b = y.split(1)\nb.add_(1)",
    "chunk piece after base": "y = x * 2\na, b = y.chunk(2)\ny.add_(1)\nprint(b.sum())",
    "view of a piece": "y = x * 2\na, b = y.unbind()\nc = a[1:]\nc.mul_(2)",
}


@pytest.mark.parametrize("body", NO_GRAD_VIEWS.values(), ids=list(NO_GRAD_VIEWS))
def test_views_that_may_not_be_written(body):
    _same_as_torch(_X + body)


_WALK = """
def walk(fn, depth):
    if fn is None or depth > 5:
        return
    print('  ' * depth + fn.name())
    for nf, _ in fn.next_functions:
        walk(nf, depth + 1)
"""

CUMPROD = {
    "1-d, a zero": ("[0.5, 0.0, 2.0, 3.0]", 0, "float32"),
    "2-d, dim 1": ("[[0.5, 0.0, 2.0], [1.0, 2.0, 0.0]]", 1, "float32"),
    "2-d, dim 0, double": ("[[0.5, 0.0], [1.0, 2.0], [0.0, 3.0]]", 0, "float64"),
    "3-d, dim -1": ("[[[0.0, 2.0], [1.5, 2.0]], [[1.0, 0.0], [0.0, 0.0]]]", -1, "float32"),
    "no zeros": ("[[0.5, 1.5, 2.0], [1.0, 2.0, -1.0]]", 1, "float32"),
    "two elements": ("[0.0, 4.0]", 0, "float64"),
}


@pytest.mark.parametrize("case", CUMPROD, ids=list(CUMPROD))
def test_cumprod_under_create_graph(case):
    """torch's double backward of cumprod over zeros writes each slice in place (CopySlices)."""
    data, dim, dtype = CUMPROD[case]
    _same_as_torch(_WALK + f"x = torch.tensor({data}, dtype=torch.{dtype}, requires_grad=True)\n"
                   f"y = x.cumprod({dim})\ng, = torch.autograd.grad((y * y).sum(), x, create_graph=True)\n"
                   "print(g)\nwalk(g.grad_fn, 0)\n(g * g).sum().backward()\nprint(x.grad)")


# torch's CopySlices under create_graph: the gradient copied (CopyBackwards), its region a view of the
# copy (AsStridedBackward0) cloned (CloneBackward0) for the in-place op's formulas, the region's result
# written back (CopySlices); index_put's gradient is grad.index_put(indices, 0) (IndexPutBackward0)
COPY_SLICES = {
    "select, assigned": ("y[0] = w * 3", "x, w"),
    "column, assigned": ("y[:, 1] = w[:2] * 2", "x, w"),
    "select, in place": ("y[0].mul_(w)", "x"),
    "slice, two in-place ops": ("y[:, 1:].mul_(w[1:]).exp_()", "x"),
    "mask, assigned": ("y[y > 2] = 0.0", "x"),
    "mask, in place": ("y[y > 2] *= 3", "x"),
    "index list, assigned": ("y[[1, 0, 1]] = w * 2", "x, w"),
    "under a leaf-free base": ("y = torch.zeros(2, 3)\ny[1] = w.exp()", "w"),
}


@pytest.mark.parametrize("case", COPY_SLICES, ids=list(COPY_SLICES))
def test_copy_slices_under_create_graph(case):
    write, wrt = COPY_SLICES[case]
    _same_as_torch(_WALK + _X + "w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n"
                   "gy = torch.tensor([[1.0, 2.0, -1.0], [0.5, 3.0, 1.5]], requires_grad=True)\n"
                   f"y = x * 1.5\n{write}\nfor loss in (y, y * y):\n"
                   f"    gs = torch.autograd.grad(loss, [{wrt}], gy, create_graph=True, allow_unused=True)\n"
                   "    print(gs)\n    walk(gs[0].grad_fn, 0)\n"
                   "    sum(g.sum() for g in gs if g is not None).backward(retain_graph=True)\n"
                   "print(x.grad, w.grad, gy.grad)")


@pytest.mark.parametrize("write", ["y[y > 2] = 0.0", "y[[1, 2]] = 0.0", "y[1:] = 0.0"])
def test_written_places_get_zero_gradient_even_from_inf(write):
    _same_as_torch("x = torch.tensor([1.0, 3.0, 5.0], requires_grad=True)\ny = x * 1.0\n" + write + "\n"
                   "y.backward(torch.tensor([float('inf'), float('inf'), float('nan')]))\nprint(x.grad)")


# a view rebuilt over CopySlices (AsStridedBackward0) under create_graph: torch's as_strided_backward
# squeezes the view's size-1 dims, writes into zeros through the view, views that as the base
AS_STRIDED_VIEWS = {"slice": "y[:, 1:]", "select": "y[0]", "column": "y[:, :, 1]", "transpose": "y.transpose(1, 2)",
                    "select and slices": "y[0, 1:, 2:]", "expand": "y.expand(2, 2, 3)",
                    "a size-1 dim expanded": "y[:, :1].expand(1, 3, 3)", "expanded twice": "y[0, 1].expand(2, 2, 3)",
                    "expanded, transposed": "y.expand(2, 2, 3).transpose(0, 2)", "diagonal": "y[0].diagonal()"}


@pytest.mark.parametrize("view", AS_STRIDED_VIEWS, ids=list(AS_STRIDED_VIEWS))
def test_rebuilt_view_under_create_graph(view):
    _same_as_torch(_WALK + "x = torch.tensor([[[1.0, 2.0, 3.0], [4.0, 0.5, 6.0]]], requires_grad=True)\n"
                   "gz = torch.tensor(2.0, requires_grad=True)\ny = x * 1.5\n"
                   f"v = {AS_STRIDED_VIEWS[view]}\ny.mul_(2)\nprint(v.grad_fn.name())\n"
                   "g, = torch.autograd.grad((v * v).sum() * gz, x, create_graph=True)\nprint(g)\n"
                   "walk(g.grad_fn, 0)\n(g * g).sum().backward()\nprint(x.grad, gz.grad)")


# an in-place op whose gradient needs the original self saves self.clone() in torch: CloneBackward0
# in the graph of a gradient recorded under create_graph
INPLACE_SAVED_SELF = ["y.mul_(w)", "y[0].mul_(w)", "y[:, 1:].div_(w[1:])", "y.pow_(w)", "y.add_(w).mul_(w)",
                      "y.exp_().mul_(w)", "y[1].sub_(w * w).mul_(w)", "y *= w", "y[0] *= w"]


@pytest.mark.parametrize("op", INPLACE_SAVED_SELF)
def test_inplace_saved_self_under_create_graph(op):
    _same_as_torch(_WALK + _X + "w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\ny = x * 1.5\n"
                   f"{op}\ngs = torch.autograd.grad(y.sum(), [x, w], create_graph=True)\nprint(gs)\n"
                   "for g in gs:\n    walk(g.grad_fn, 0)\n(gs[0] * gs[1]).sum().backward()\nprint(x.grad, w.grad)")


# a third order through the nodes above: CopySlices and AsStridedBackward0 recorded by a backward
# pass differentiate as torch's (CopySlices again over a CopyBackwards, as_strided_backward)
THIRD_ORDER = {"select": "y[0] = x[1] * w", "slice, in place": "y[:, 1:] *= w[1:]", "column": "y[:, 0] = w[:2]", "rebuilt view": "v = y[1]\ny.mul_(2)\ny = y + v"}


@pytest.mark.parametrize("case", THIRD_ORDER, ids=list(THIRD_ORDER))
def test_third_order_through_copy_slices(case):
    _same_as_torch(_WALK + _X + "w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n"
                   "gy = torch.tensor([[1.0, 2.0, -1.0], [0.5, 3.0, 1.5]], requires_grad=True)\n"
                   f"y = x * 1.5\n{THIRD_ORDER[case]}\n"
                   "g, = torch.autograd.grad(y, x, gy, create_graph=True)\n"
                   "h, = torch.autograd.grad(g, gy, torch.ones_like(g) * w.sum(), create_graph=True)\n"
                   "print(h)\nwalk(h.grad_fn, 0)\n(h * h).sum().backward()\nprint(x.grad, w.grad, gy.grad)")


# torch.Tensor's two underscore attributes that tutorials print; every other '_' name stays withheld
@pytest.mark.parametrize("body", [
    "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x * 2\nprint(x._version, y._version, y._base)\n"
    "y.add_(1)\nv = y[1:]\nprint(y._version, v._base is y, v._version)\nv.mul_(3)\nprint(y._version, v._version)",
    "a = torch.ones(3)\na[0] = 5\na += 1\nprint(a._version, a.detach()._version, a.view(3)._base is a)",
])
def test_version_and_base_as_torch_shows_them(body):
    _same_as_torch(body)


@pytest.mark.parametrize("line", ["print(x._grad_fn)", "x._version = 3", "x._base = x", "del x._base",
                                  "x.__name__ = 'y'", "x._version += 1"])
def test_other_underscore_attributes_and_every_write_stay_withheld(line):
    from gradcli.errors import ProgramSyntaxError
    from gradcli.interp import run
    from gradcli.syntax import parse
    with pytest.raises(ProgramSyntaxError, match="is not available in gradcli"):
        run(parse(f"import torch\nx = torch.ones(2)\n{line}\n", "p.py"))


@pytest.mark.parametrize("body", [
    "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x // 2\nprint(y.grad_fn.name(), y.grad_fn)",
    "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x.clone()\ny[0] = 3.0\nprint(y.grad_fn.name())\n"
    "print(y.grad_fn.next_functions[0][0].name())",
])
def test_hand_written_nodes_keep_their_namespace_in_name(body):
    _same_as_torch(body)
