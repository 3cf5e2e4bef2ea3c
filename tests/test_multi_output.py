"""Ops with several outputs have ONE node, as in torch: split/chunk/unbind, var_mean/std_mean and
aminmax. Compared with torch: the node's identity, next_functions and output_nr, the node running
once with every output's gradient (its pre- and post-hooks called once), the graph recorded under
create_graph (one cat/stack), captures and roots at any output, and in-place writes of an output.
max/min/sort/topk... are not in the family: their indices have no grad_fn."""

from __future__ import annotations

import pytest

import difftest_gen as dg


def _same_as_torch(body: str) -> None:
    pytest.importorskip("torch")
    problem = dg.mismatch("import torch\n" + body.strip("\n") + "\n")
    assert problem is None, problem


_X = "x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 0.5, 6.0]], requires_grad=True)\ny = x * 2\n"
_WALK = """
def walk(fn, depth):
    if fn is None or depth > 7:
        return
    print('  ' * depth + fn.name(), [n for _, n in fn.next_functions])
    for nf, _ in fn.next_functions:
        walk(nf, depth + 1)
"""

OPS = {
    "unbind": "outs = y.unbind(1)", "unbind 0": "outs = torch.unbind(y)", "split": "outs = torch.split(y, 1, 1)",
    "split sizes": "outs = y.split([1, 2], 1)", "chunk": "outs = y.chunk(2, 1)", "one piece": "outs = y.split(5)",
    "var_mean": "outs = torch.var_mean(y, 1)", "std_mean": "outs = torch.std_mean(y, 1, keepdim=True)",
    "var_mean all": "outs = torch.var_mean(y)", "aminmax": "outs = torch.aminmax(y, dim=1)",
    "aminmax all": "outs = torch.aminmax(y)",
}


@pytest.mark.parametrize("op", OPS, ids=list(OPS))
def test_one_node_for_all_outputs(op):
    _same_as_torch(_X + OPS[op] + "\nfn = outs[0].grad_fn\nprint(fn, fn.name())\n"
                   "print([o.grad_fn is fn for o in outs], [o.output_nr for o in outs])\n"
                   "print(fn.next_functions)\n"
                   "z = outs[-1] * outs[0]\n"
                   "print([(f is fn, n) for f, n in z.grad_fn.next_functions])")


# which outputs the loss uses: the node runs once, with None for the others
USES = {"first": (0,), "last": (-1,), "all": None, "first twice": (0, 0)}


@pytest.mark.parametrize("uses", USES, ids=list(USES))
@pytest.mark.parametrize("op", OPS, ids=list(OPS))
def test_node_runs_once_with_every_gradient(op, uses):
    chosen = USES[uses]
    loss = "sum((o * (k + 2)).sum() for k, o in enumerate(outs))" if chosen is None else \
        " + ".join(f"(outs[{k}] * {j + 2}).sum()" for j, k in enumerate(chosen))
    _same_as_torch(_X + OPS[op] + "\nfn = outs[0].grad_fn\n"
                   "fn.register_prehook(lambda gs: print('pre', gs))\n"
                   "fn.register_hook(lambda gi, go: print('post', gi, go))\n"
                   f"{loss}.backward()\nprint(x.grad)")


@pytest.mark.parametrize("uses", USES, ids=list(USES))
@pytest.mark.parametrize("op", OPS, ids=list(OPS))
def test_gradient_recorded_under_create_graph(op, uses):
    chosen = USES[uses]
    loss = "sum((o * o * (k + 2)).sum() for k, o in enumerate(outs))" if chosen is None else \
        " + ".join(f"(outs[{k}] * outs[{k}] * {j + 2}).sum()" for j, k in enumerate(chosen))
    _same_as_torch(_WALK + _X + OPS[op] + f"\ng, = torch.autograd.grad({loss}, x, create_graph=True)\n"
                   "print(g)\nwalk(g.grad_fn, 0)\n(g * g).sum().backward()\nprint(x.grad)")


def test_post_hook_replaces_the_gradients():
    _same_as_torch(_X + "a, b, c = y.unbind(1)\n"
                   "a.grad_fn.register_hook(lambda gi, go: print(go) or (gi[0] * 10,))\n"
                   "(a * c).sum().backward()\nprint(x.grad)")


def test_post_hook_under_create_graph():
    _same_as_torch(_WALK + _X + "v, m = torch.var_mean(y, 1)\n"
                   "m.grad_fn.register_hook(lambda gi, go: print([g.requires_grad for g in go if g is not None]))\n"
                   "g, = torch.autograd.grad((v * m).sum(), x, create_graph=True)\nwalk(g.grad_fn, 0)\n"
                   "g.sum().backward()\nprint(x.grad)")


CAPTURES = {
    "grad of pieces": "a, b, c = y.unbind(1)\nprint(torch.autograd.grad((a * b).sum(), [b, a, c], allow_unused=True))",
    "grad of a piece and x": "a, b, c = y.unbind(1)\nprint(torch.autograd.grad((a * c).sum(), [c, x]))",
    "grad of a piece, hooks": "a, b, c = y.unbind(1)\nc.register_hook(lambda g: print('c', g))\n"
                              "a.register_hook(lambda g: print('a', g))\n"
                              "print(torch.autograd.grad((a * c).sum(), [c, a]))",
    "grad of the mean": "v, m = torch.var_mean(y, 1)\nprint(torch.autograd.grad((v * m).sum(), [m, y]))",
    "backward inputs": "a, b = y.split(1)\n(a * b).sum().backward(inputs=[b])\nprint(b.grad, x.grad)",
    "backward inputs x": "a, b = y.split(1)\n(a * b).sum().backward(inputs=[x])\nprint(x.grad)",
    "root is a piece": "a, b, c = y.unbind(1)\nc.backward(torch.ones(2))\nprint(x.grad)",
    "roots are pieces": "a, b, c = y.unbind(1)\ntorch.autograd.backward([c.sum(), a.sum(), c.sum()])\nprint(x.grad)",
    "root is the max": "lo, hi = torch.aminmax(y)\nhi.backward()\nprint(x.grad)",
    "piece retains grad": "a, b = y.chunk(2)\nb.retain_grad()\na.retain_grad()\n(b * 3).sum().backward()\n"
                          "print(a.grad, b.grad)",
    "second pass": "a, b, c = y.unbind(1)\n(a * c).sum().backward(retain_graph=True)\n(b * c).sum().backward()\n"
                   "print(x.grad)",
    "second pass, var_mean": "v, m = torch.var_mean(y, 1)\n(v * m).sum().backward()\nm.sum().backward()",
    "mean written in place": "v, m = torch.var_mean(y, 1)\nm.mul_(2)\nprint(m.grad_fn, m.output_nr)\n"
                             "(v * m).sum().backward()\nprint(x.grad)",
    "mean written through a view": "v, m = torch.var_mean(y, 1)\nm[0] = 1.0\nprint(m.grad_fn)\n"
                                   "(v + m).sum().backward()\nprint(x.grad)",
    "max written in place, saved": "lo, hi = torch.aminmax(y, dim=1)\nw = hi * hi\nhi.add_(1)\n(w + lo).sum().backward()",
    "mean written under no_grad, saved": "v, m = torch.var_mean(y, 1)\nw = m * m\nwith torch.no_grad():\n"
                                         "    m.add_(1)\nprint(m.grad_fn)\nw.sum().backward()",
    "base written, piece saved": "a, b = y.unbind()\nw = b * b\nwith torch.no_grad():\n    y.add_(1)\n"
                                 "w.sum().backward()",
    "called by hand": "a, b, c = y.unbind(1)\nprint(a.grad_fn(None, torch.ones(2), None))",
    "called by hand, all None": "v, m = torch.var_mean(y, 1)\nprint(v.grad_fn(None, None))",
}


@pytest.mark.parametrize("body", CAPTURES.values(), ids=list(CAPTURES))
def test_inputs_roots_and_in_place(body):
    _same_as_torch(_X + body)


GRAPHS = {
    "a leaf's pieces": "a, b = x.unbind()\n(a * b).sum().backward()\nprint(x.grad, a.grad_fn.next_functions)",
    "split of a split": "a, b = y.split(1)\nc, d, e = b.split(1, 1)\n(a.sum() * e.sum() + d.sum()).backward()\n"
                        "print(x.grad)\nprint(d.grad_fn.next_functions)",
    "view of a piece": "a, b = y.unbind()\nc = a[1:]\n(c * b[:2]).sum().backward()\nprint(x.grad, c.grad_fn.next_functions)",
    "stack of pieces": "a, b, c = y.unbind(1)\ntorch.stack([c, a]).sum().backward()\nprint(x.grad)",
    "under no_grad": "with torch.no_grad():\n    a, b = y.unbind()\nprint(a.requires_grad, a.grad_fn, a.output_nr)",
    "chunks of nothing": "e = torch.zeros(0, 3, requires_grad=True)\np = e.chunk(2)\nprint(len(p), p[0].grad_fn)\n"
                         "(p[0].sum() + p[1].sum()).backward()\nprint(e.grad)",
    "retained twice": "a, b = y.unbind()\nb.retain_grad()\n(b * 2).sum().backward(retain_graph=True)\n"
                      "(b * a).sum().backward()\nprint(b.grad, x.grad)",
    "hooks of both outputs": "v, m = torch.var_mean(y, 1)\nm.register_hook(lambda g: print('m', g))\n"
                             "v.register_hook(lambda g: print('v', g) or g * 2)\nm.register_hook(lambda g: print('m2', g))\n"
                             "(v * m).sum().backward()\nprint(x.grad)",
    "hook under create_graph": "a, b, c = y.unbind(1)\nc.register_hook(lambda g: print('c', g.grad_fn))\n"
                               "g, = torch.autograd.grad((a * c).sum(), x, create_graph=True)\n"
                               "print(g.grad_fn, g.grad_fn.next_functions)",
    "double backward of std_mean": "s, m = torch.std_mean(y, 1)\ng, = torch.autograd.grad((s * m).sum(), x, create_graph=True)\n"
                                   "print(g)\ng.pow(2).sum().backward()\nprint(x.grad)",
    "grad of both outputs": "v, m = torch.var_mean(y, 1)\nprint(torch.autograd.grad((v * m * m).sum(), [v, m]))",
    "grad of a hooked piece": "a, b, c = y.unbind(1)\nc.register_hook(lambda g: print('c', g) or g * 3)\n"
                              "print(torch.autograd.grad((a * c).sum(), [c, x]))",
    "backward inputs, both pieces": "a, b = y.unbind()\n(a * b).sum().backward(inputs=[b, a])\nprint(a.grad, b.grad, x.grad)",
    "aminmax keepdim": "r = torch.aminmax(y, dim=0, keepdim=True)\n(r.min * 2 + r.max * 3).sum().backward()\n"
                       "print(x.grad, r.max.grad_fn)",
    "pre-hook replaces": "v, m = torch.var_mean(y, 1)\n"
                         "v.grad_fn.register_prehook(lambda gs: tuple(None if g is None else g * 0 for g in gs))\n"
                         "(v + m).sum().backward()\nprint(x.grad)",
    "post-hook, an output without gradient": "a, b = y.unbind()\nb.grad_fn.register_hook(lambda gi, go: print(go))\n"
                                             "(b * 2).sum().backward()",
    "torch.chunk": "p = torch.chunk(y, 3, 1)\n(p[2] * p[0]).sum().backward()\nprint(x.grad, p[1].output_nr)",
    "output_nr of others": "print(x.output_nr, y.output_nr, y.detach().output_nr)",
}


@pytest.mark.parametrize("body", GRAPHS.values(), ids=list(GRAPHS))
def test_graphs_through_several_outputs(body):
    _same_as_torch(_X + body)


def test_indices_are_not_outputs_of_a_node():
    """max/min/sort/topk: one output with a gradient, the indices without grad_fn."""
    _same_as_torch(_X + "for r in (y.max(1), y.min(0), y.sort(1), y.topk(2), y.median(1)):\n    print(r[0].grad_fn, r[1].grad_fn, r[1].requires_grad)")
