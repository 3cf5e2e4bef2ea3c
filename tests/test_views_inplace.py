"""In-place ops through views: programs print under gradcli what they print under torch.

A matrix of (view op) x (in-place op) x (where the gradient flows: the base, the view
itself, another view of the same base taken before), then the in-place view methods
(t_, squeeze_...), index assignment, create_graph through CopySlices, and the errors
torch raises for views made under no_grad, pieces of multi-output ops, views of
leaves and expanded tensors.  Each program's printed output (values, grad_fn names,
gradients) and final error must match torch's exactly.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

import difftest_gen as dg


def _same_as_torch(body: str) -> None:
    pytest.importorskip("torch")
    problem = dg.mismatch("import torch\n" + body.strip("\n") + "\n")
    assert problem is None, problem


# -- the matrix ----------------------------------------------------------------------------------

VIEWS = {
    "select": "y[1]", "slice": "y[:, 1:]", "column": "y[:, 1]", "ellipsis": "y[..., 0]",
    "none": "y[None]", "alias": "y[...]", "view": "y.view(6)", "reshape": "y.reshape(3, 2)",
    "flatten": "y.flatten()", "t": "y.t()", "transpose": "y.transpose(0, 1)", "T": "y.T",
    "permute": "y.permute(1, 0)", "unsqueeze": "y.unsqueeze(1)", "squeeze": "y.squeeze()",
    "narrow": "y.narrow(1, 1, 2)", "diagonal": "y.diagonal()", "view of view": "y[1][1:]",
    "expand of size 1": "y[:1].expand(1, 3)", "movedim": "y.movedim(0, 1)",
    "torch.select": "torch.select(y, 1, -1)", "unflatten": "y.unflatten(1, (3, 1))",
}

INPLACE = {
    "mul_": "v.mul_(2)", "add_ other": "v.add_(w.sum() * torch.ones_like(v))", "exp_": "v.exp_()",
    "copy_": "v.copy_(w.sum() + torch.zeros_like(v))", "zero_": "v.zero_()", "fill_": "v.fill_(3.)",
    "setitem": "v[...] = 1.5", "clamp_": "v.clamp_(min=4.)", "sigmoid_": "v.sigmoid_()",
    "twice": "v.mul_(w.sum())\nv.add_(1)",
}


def _program(view: str, op: str) -> str:
    return f"""
x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
w = torch.tensor([0.5, -1.], requires_grad=True)
y = x * 1.5
o = y[0]
v = {view}
{op}
print(y)
print(v)
print(o)
for loss in ((y * y).sum(), (v * v).sum(), (o * o).sum()):
    x.grad = None
    w.grad = None
    loss.backward(retain_graph=True)
    print(x.grad, w.grad)
"""


@pytest.mark.parametrize("op", INPLACE, ids=list(INPLACE))
@pytest.mark.parametrize("view", VIEWS, ids=list(VIEWS))
def test_inplace_through_a_view_matches_torch(view, op):
    _same_as_torch(_program(VIEWS[view], INPLACE[op]))


@pytest.mark.parametrize("view", VIEWS, ids=list(VIEWS))
def test_inplace_on_the_base_refreshes_its_views(view):
    _same_as_torch(f"""
x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
y = x * 1.5
v = {VIEWS[view]}
y.mul_(2)
print(v, v.grad_fn.next_functions)
(v * v).sum().backward()
print(x.grad)
y.exp_()
print(v)
""")


@pytest.mark.parametrize("view", VIEWS, ids=list(VIEWS))
def test_no_grad_inplace_through_a_view(view):
    # the write is not recorded, but the view's and its base's other views' histories are rebuilt
    _same_as_torch(f"""
x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
y = x * 1.5
o = y[:, 0]
v = {VIEWS[view]}
with torch.no_grad():
    v.mul_(2)
print(y, v, o)
(o.sum() + v.sum()).backward()
print(x.grad)
""")


def test_base_without_grad_gains_history_through_a_view():
    _same_as_torch("""
z = torch.zeros(3)
a = z[1:]
b = z[:1]
w = torch.ones(2, requires_grad=True)
a.mul_(w)
print(z, a, b, b.requires_grad, b.is_leaf)
print(b.mul_(w[:1]), z.grad_fn.next_functions)
z.sum().backward()
print(w.grad)
""")


def test_views_made_before_the_base_required_grad():
    _same_as_torch("""
w = torch.tensor([1., 2., 3.], requires_grad=True)
v = w[0]
with torch.no_grad():
    w.mul_(2)
print(v, v.grad_fn.next_functions)
(v * 3).backward()
print(w.grad)
z = torch.zeros(3)
b = z[:1]
z.requires_grad_()
print(b, b.is_leaf, b.grad_fn)
""")


def test_a_view_made_under_no_grad_requires_grad_without_an_edge():
    _same_as_torch("""
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
with torch.no_grad():
    nv = y[1:]
print(nv, nv.is_leaf, nv.requires_grad, nv.grad_fn)
u = nv * 2
print(u, nv[0])
u.sum().backward()
print(nv.grad, x.grad)
""")


def test_retain_grad_follows_the_tensor_to_its_new_grad_fn():
    _same_as_torch("""
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
y.retain_grad()
y.mul_(3)
y.sum().backward()
print(y.grad, x.grad)
x.grad = None
y = x * 2
v = y[1:]
v.retain_grad()
y.mul_(3)
(v * v).sum().backward()
print(v.grad, x.grad)
x.grad = None
y = x * 2
v = y[1:]
v.retain_grad()
v.mul_(3)
(y * y).sum().backward()
print(v.grad, x.grad)
""")


def test_the_issue_example():
    _same_as_torch("""
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
v = y[1:]
v.mul_(3)
print(y)
print(v.grad_fn)
y.sum().backward()
print(x.grad)
a = torch.tensor([1., 2., 3.], requires_grad=True)
b = a.clone(); b[0] = 5.
c = b.view(3); c.add_(1)
print(b, c)
e = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
f = e.clone(); f.t_()
g = f[0]; g.exp_()
f.sum().backward(); print(e.grad, f.grad_fn, g.grad_fn.next_functions, f.grad_fn.next_functions)
""")


# -- in-place view methods -----------------------------------------------------------------------

def test_inplace_view_methods_name_their_nodes_and_bump_the_version():
    _same_as_torch("""
x = torch.tensor([[1., 2., 3.]], requires_grad=True)
y = x * 1
o = y[0]
y.t_(); print(y, y.grad_fn)
y.t_(); print(y)
print(y.transpose_(0, 1))
print(y.squeeze_())
print(y.unsqueeze_(0))
print(y.squeeze_(0))
print(y.squeeze_((0,)))
print(y.unsqueeze_(-1).swapaxes_(0, 1).swapdims_(1, 0))
print(o)
(y * torch.arange(3.).view(1, 3, 1)).sum().backward()
print(x.grad)
w = torch.zeros(2, 3)
print(w.t_(), w.squeeze_(), w.unsqueeze_(2).shape)
""")


def test_inplace_view_method_on_a_view_keeps_it_a_view():
    _same_as_torch("""
x = torch.ones(3, requires_grad=True)
y = x * 1
v = y[1:]
print(v.unsqueeze_(0), y)
v.t_()
print(v, v.shape)
v.mul_(torch.tensor([[2.], [3.]]))
print(y, v)
(y * y).sum().backward()
print(x.grad)
""")


# -- a formula that gives no gradient (torch's undefined tensor: norm of order 0) ---------------------

NO_GRADIENT = ["""
x = torch.tensor([1., 0., 3.], requires_grad=True)
torch.norm(x * 2, 0).backward()
print(x.grad)
(torch.norm(x, 0) + x.sum()).backward()
print(x.grad)
""", """
x = torch.tensor([1., 0., 3.], requires_grad=True)
print(torch.autograd.grad(torch.norm(x, 0), x, allow_unused=True))
print(torch.autograd.grad(torch.norm(x * 2, 0), x, materialize_grads=True))
print(torch.autograd.grad(torch.norm(x * 2, 0), x))
""", """
x = torch.tensor([[1., 0.], [3., 4.]], requires_grad=True)
y = x.exp()
(torch.linalg.vector_norm(y, 0, dim=1).sum() * 2 + (y * torch.norm(x * 3, 0)).sum()).backward()
print(x.grad)
print(torch.autograd.grad(torch.norm(x, 0) + (x * x).sum(), x, create_graph=True))
"""]


@pytest.mark.parametrize("body", NO_GRADIENT, ids=range(len(NO_GRADIENT)))
def test_no_gradient_flows_on_as_none(body):
    _same_as_torch(body)


# -- index assignment goes through the same machinery -----------------------------------------------

SETITEM = [
    "y[0] = 5.", "y[1:] += 1", "y[y > 2] = 0.", "y[0, [0, 2]] = w", "y[:, 1] = w * w",
    "y[...] = 2.", "y[:] = w.sum()", "y[0:2] = 7.", "y[[1, 0]] = w.view(2, 1)", "y[1][1:] = w",
    "y[0] *= w.sum()", "v = y[1]\nv[0] = w[0]\nprint(v)",
]


@pytest.mark.parametrize("stmt", SETITEM, ids=[s.split("\n")[0] for s in SETITEM])
def test_index_assignment(stmt):
    _same_as_torch(f"""
x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
w = torch.tensor([0.5, -1.], requires_grad=True)
y = x * 1.5
o = y[1]
{stmt}
print(y, o)
(y * y).sum().backward(retain_graph=True)
print(x.grad, w.grad)
(o * o).sum().backward()
print(x.grad, w.grad)
""")


# -- create_graph through CopySlices and AsStridedBackward0 ------------------------------------------

CREATE_GRAPH = [
    """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * x
v = y[1:]
v.mul_(x[1:])
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g)
g.sum().backward()
print(x.grad)
""", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 1
v = y[1:]
y.mul_(2)
g, = torch.autograd.grad((v * v).sum(), x, create_graph=True)
print(g)
(g * g).sum().backward()
print(x.grad)
""", """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True, dtype=torch.float64)
y = x.exp()
y[0].mul_(x[1])
y[:, 1].sin_()
g, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g)
h, = torch.autograd.grad(g.sum(), x)
print(h)
""", """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True, dtype=torch.float64)
y = x * 1
y.t_()
d = y.diagonal()
d.exp_()
g, = torch.autograd.grad((y * y).sum(), x, create_graph=True)
print(g, y)
h, = torch.autograd.grad(g.sum(), x)
print(h)
""", """
x = torch.tensor([1., 2., 3.], requires_grad=True, dtype=torch.float64)
w = torch.tensor([2., 3.], requires_grad=True, dtype=torch.float64)
y = x * 1
y[1:] = w * x[:2]
g = torch.autograd.grad((y * y).sum(), (x, w), create_graph=True)
print(g)
print(torch.autograd.grad(g[0].sum() + g[1].sum(), (x, w)))
"""]


@pytest.mark.parametrize("body", CREATE_GRAPH, ids=range(len(CREATE_GRAPH)))
def test_create_graph_through_copy_slices(body):
    _same_as_torch(body)


# -- errors ------------------------------------------------------------------------------------------

_BASE = """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
"""

ERRORS = {
    "view made under no_grad": "with torch.no_grad():\n    nv = y[1:]\nnv.mul_(2)",
    "its base modified": "with torch.no_grad():\n    nv = y[1:]\ny.mul_(2)\nprint(nv)\nprint(nv * 2)",
    "view of a no_grad view": "with torch.no_grad():\n    nv = y[1:]\nnv[0].mul_(2)",
    "no_grad view, base modified under no_grad": "with torch.no_grad():\n    nv = y[1:]\n    y.add_(1)\nprint(nv)\nprint(nv * 2)",
    "index assignment into a no_grad view": "with torch.no_grad():\n    nv = y[1:]\nnv[0] = 5.",
    "whole assignment to a no_grad view": "with torch.no_grad():\n    nv = y[1:]\nnv[...] = 5.",
    "unbind piece": "a, b, c = y.unbind()\nb.mul_(2)",
    "unbind piece assigned": "a, b, c = y.unbind()\nb[...] = 7.",
    "unbind piece assigned under no_grad": "a, b, c = y.unbind()\nwith torch.no_grad():\n    b[...] = 7.\n"
                                           "print(y, b)\nprint(b * 2)",
    "unbind piece, base modified": "a, b, c = y.unbind()\ny.mul_(2)\nprint(a)\nprint(a * 2)",
    "iterating": "for r in y:\n    r.add_(1)",
    "split piece": "p = y.split([1, 2])\np[1].mul_(2)",
    "chunk piece": "p = y.chunk(2)\np[0].mul_(2)",
    "view of a split piece": "p = y.split([1, 2])\np[1].view(2).mul_(2)",
    "select of a split piece": "p = y.split([1, 2])\np[1][0].unsqueeze_(0)",
    "unbind of a plain tensor": "u = torch.zeros(3).unbind()\nu[0].add_(torch.ones((), requires_grad=True))",
    "no_grad view of a plain tensor": "z = torch.zeros(3)\nwith torch.no_grad():\n    zv = z[1:]\nzv.mul_(torch.ones(2, requires_grad=True))",
    "view of a leaf": "x[0].mul_(2)",
    "view of a leaf by view()": "x.view(3).mul_(2)",
    "leaf": "x.mul_(2)",
    "leaf t_": "x.t_()",
    "leaf index_put_": "x[[0]] = 1.",
    "leaf whole slice": "x[0:3] = 1.",
    "view of a leaf setitem": "x[0] = 1.",
    "expanded add_": "y[:1].expand(2, 3).add_(1)",
    "expanded copy_": "torch.zeros(1, 3).expand(2, 3).copy_(torch.ones(2, 3))",
    "expanded mul_ without grad": "torch.zeros(1, 3).expand(2, 3).mul_(2)",
    "detach_ of a view": "y[0].detach_()",
    "t_ of 3-D": "torch.zeros(2, 2, 2).t_()",
    "select out of range": "torch.select(y, 0, 3)",
    "select of a 0-d tensor": "y.sum().select(0, 0)",
    "saved result through the view": "v = y[1:]\nv.exp_()\ny.mul_(2)\ny.sum().backward()",
    "saved result, view modified again": "v = y[1:]\nv.exp_()\nv.mul_(2)\ny.sum().backward()",
    "saved view": "v = y[1:]\nz = v * v\ny.mul_(2)\nz.sum().backward()",
    "saved base": "v = y[1:]\nz = y * y\nv.mul_(2)\nz.sum().backward()",
    "second pass through CopySlices": "y[1:].add_(1)\ny.sum().backward()\ny.sum().backward()",
}


@pytest.mark.parametrize("case", ERRORS, ids=list(ERRORS))
def test_errors_match_torch(case):
    _same_as_torch(_BASE + ERRORS[case])


EXPANDED = ["""
z = torch.zeros(1, 3)
e = z.expand(2, 3)
print(e.fill_(1.), z)
e[0] = 2.
e[1, 1:] = torch.tensor(3.)
print(e.zero_(), z)
e[[0, 1], 0] = 4.
print(z)
""", """
x = torch.tensor([[1., 2., 3.]], requires_grad=True)
y = x * 1
e = y.expand(2, 3)
print(e.fill_(2.), y)
y.sum().backward()
""", """
x = torch.tensor([[1., 2., 3.]], requires_grad=True)
y = x * 1
e = y.expand(2, 3)
print(e.zero_(), y)
e[0] = 5.
print(y)
""", "torch.zeros(1, 3).expand(2, 3)[:, 0] = 5.", "torch.zeros(1, 3).expand(2, 3).fill_(torch.tensor(2.))",
    "torch.zeros(1, 3).expand(2, 3)[...] = torch.tensor(2.)", """
x = torch.tensor([[1., 2., 3.]], requires_grad=True)
(x * 1).expand(2, 3).fill_(torch.tensor(2., requires_grad=True))
"""]


@pytest.mark.parametrize("body", EXPANDED, ids=range(len(EXPANDED)))
def test_what_may_write_an_expanded_tensor(body):
    # fill_ with a number, zero_ and index_put_ may; copy_, ops that read it and fill_ with a tensor
    # may not; the gradient of a write through an expanded view is refused in backward
    _same_as_torch(body)


# -- the machinery ------------------------------------------------------------------------------

def _env(body: str) -> dict:
    from gradcli.interp import run
    from gradcli.syntax import parse
    return run(parse("import torch\n" + body, "p.py"), stdout=io.StringIO()).env


@pytest.mark.parametrize("view", VIEWS, ids=list(VIEWS))
def test_a_view_shares_memory_and_version_with_its_base(view):
    from gradcli.autograd.ops.views import view_index
    env = _env(f"y = torch.arange(6.).view(2, 3) * 1\nv = {VIEWS[view]}\n")
    y, v = env["y"], env["v"]
    assert v._base is y and v._is_view() and v._vc is y._vc
    assert np.array_equal(y._data.reshape(-1)[view_index(y._data, v._data)], v._data)


def test_pieces_share_memory_and_copies_are_not_views():
    env = _env("y = torch.arange(6.).view(2, 3) * 1\np = y.unbind(1) + y.split(2, 1) + y.chunk(2)\n"
               "d = y.detach()\nc = y.clone()\n")
    y = env["y"]
    for piece in env["p"]:
        assert piece._base is y and np.shares_memory(piece._data, y._data)
    assert not env["d"]._is_view() and env["d"]._vc is y._vc and not env["c"]._is_view()
