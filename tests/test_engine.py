"""The backward engine against torch 2.13: each scenario runs on both libraries and
must agree (values, grads, grad_fn names, error texts); the important ones are also
pinned to plain expected values so they check something without torch."""

import gc
import warnings

import numpy as np
import pytest

from gradcli.autograd import engine
from gradcli.autograd.namespace import build_torch_module

gt = build_torch_module()


def _torch():
    return pytest.importorskip("torch")


def _plain(x):
    """A comparable form of a scenario's result (tensors -> values, dtype, grad_fn name)."""
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if hasattr(x, "detach") and hasattr(x, "dtype"):
        fn = None if x.grad_fn is None else type(x.grad_fn).__name__
        return ("T", np.asarray(x.detach().tolist()).round(5).tolist(), str(x.dtype), fn)
    return x


def _outcome(lib, scenario):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ("ok", _plain(scenario(lib)))
        except Exception as e:  # noqa: BLE001
            return ("raise", type(e).__name__, str(e))


def agree(scenario):
    """Run ``scenario(torch)`` on gradcli and on torch; they must agree. Returns gradcli's."""
    ours = _outcome(gt, scenario)
    torch = pytest.importorskip("torch")
    theirs = _outcome(torch, scenario)
    assert ours == theirs
    return ours


# -- scenarios: pinned values, and the same code checked against torch --------------------------

def leaf_and_nonleaf(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * x
    z = y.sum()
    z.backward()
    return [x.grad, x.is_leaf, y.is_leaf, y.requires_grad, z.grad_fn is not None]


def retain_then_twice(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


def backward_twice(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def backward_twice_nothing_saved(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x + 1).sum() * 1.0 if False else (x + 1).sum()
    y.backward()
    y.backward()  # AddBackward0 / SumBackward0 save no tensors: torch allows this
    return x.grad


def backward_twice_scalar_mul(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x * 2).sum()
    y.backward()
    y.backward()


def implicit_non_scalar(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 2).backward()


def no_grad_root(torch):
    torch.tensor([1.]).backward()


def shape_mismatch(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 2).sum().backward(torch.ones(2, 2))


def float_gradient_argument(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 2).backward([1.0, 1.0])


def gradient_count(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    torch.autograd.backward([(x * 2).sum()], [])


def unused_input(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    z = torch.tensor(1., requires_grad=True)
    torch.autograd.grad((x * 2).sum(), [x, z])


def unused_allowed(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    z = torch.tensor(1., requires_grad=True)
    return list(torch.autograd.grad((x * 2).sum(), [x, z], allow_unused=True))


def materialized(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    z = torch.tensor([3.], requires_grad=True)
    gx, gz = torch.autograd.grad((x * 2).sum(), [x, z], materialize_grads=True)
    return [gx, gz, gz.requires_grad]


def materialize_conflict(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    torch.autograd.grad((x * 2).sum(), [x], materialize_grads=True, allow_unused=False)


def input_without_grad(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    torch.autograd.grad((x * 2).sum(), [torch.tensor(1.)])


def empty_inputs_grad(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    torch.autograd.grad((x * 2).sum(), [])


def empty_inputs_backward(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 2).sum().backward(inputs=[])


def backward_inputs_without_grad(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 2).sum().backward(inputs=[torch.tensor(1.)])


def int_requires_grad(torch):
    torch.tensor([1, 2], requires_grad=True)


def int_requires_grad_(torch):
    torch.tensor([1, 2]).requires_grad_()


def nonleaf_requires_grad_false(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 2).requires_grad_(False)


def grad_outputs_weighting(torch):
    x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)
    y = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)
    z = x * y
    return list(torch.autograd.grad(z, [x, y], grad_outputs=torch.tensor([1.0, 0.5, 2.0])))


def backward_function_grad_tensors(torch):
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    z = x * x
    torch.autograd.backward(z, grad_tensors=torch.FloatTensor([1.0, 1.0, 1.0]))
    return x.grad


def grad_variables_both(torch):
    x = torch.tensor([1.], requires_grad=True)
    torch.autograd.backward(x * 2, grad_tensors=torch.ones(1), grad_variables=torch.ones(1))


def higher_order_sin(torch):
    x = torch.tensor(0.7, requires_grad=True)
    g1, = torch.autograd.grad(torch.sin(x), x, create_graph=True)
    g2, = torch.autograd.grad(g1, x, create_graph=True)
    g3, = torch.autograd.grad(g2, x)
    return [g1.detach(), g2.detach(), g3, g1.requires_grad, g3.requires_grad]


def higher_order_cube(torch):
    x = torch.tensor(3., requires_grad=True)
    g1, = torch.autograd.grad(x ** 3, x, create_graph=True)
    g2, = torch.autograd.grad(g1, x, create_graph=True)
    g3, = torch.autograd.grad(g2, x)
    return [g1.detach(), g2.detach(), g3]


def higher_order_product(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = torch.tensor([3., 4.], requires_grad=True)
    z = (x * x * y).sum()
    gx, gy = torch.autograd.grad(z, [x, y], create_graph=True)
    hxy = torch.autograd.grad(gx.sum(), [x, y], retain_graph=True)
    hyx = torch.autograd.grad(gy.sum(), [x, y], allow_unused=True)
    return [gx.detach(), gy.detach(), list(hxy), list(hyx)]


def create_graph_backward_accumulates(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x ** 3).sum().backward(create_graph=True)
    first = x.grad
    first_fn = type(first.grad_fn).__name__
    (x ** 3).sum().backward(create_graph=True)
    second_fn = type(x.grad.grad_fn).__name__
    g2, = torch.autograd.grad(x.grad.sum(), x)
    return [first.detach(), first_fn, x.grad.detach(), second_fn, first is x.grad, g2]


def create_graph_constant_grad(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 2).sum().backward(create_graph=True)
    return [x.grad, x.grad.requires_grad]


def leaf_grad_in_place(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 3).sum().backward()
    ref = x.grad
    (x * 3).sum().backward()
    return [ref is x.grad, ref]


def inplace_version_saved_input(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    a = x * 2
    b = a.sin()
    a.mul_(2)
    b.sum().backward()


def inplace_version_saved_result(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    a = x.exp()
    b = a * 1
    a.add_(1)
    b.sum().backward()


def inplace_version_result_tanh(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    c = (x * 2).tanh()
    c.mul_(3)
    c.sum().backward()


def inplace_version_leaf_double(torch):
    d = torch.ones(3, dtype=torch.float64, requires_grad=True)
    b = d * d
    d.detach().add_(1)
    b.sum().backward()


def inplace_not_saved_ok(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    a = x * 2
    b = a.sqrt()  # saves its result, not a
    a.mul_(3)
    b.sum().backward()
    return x.grad


def inplace_rebases_history(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    a = x * 1
    a.mul_(3)
    a.add_(1)
    a.sum().backward()
    return [x.grad, type(a.grad_fn).__name__, a._version]


def retain_grad_and_hooks(torch):
    log = []
    x = torch.tensor([1., 2.], requires_grad=True)
    x.register_hook(lambda g: log.append(("leaf", g.tolist())) or g * 10)
    y = x * 3
    y.register_hook(lambda g: log.append(("y1", g.tolist())) or g * 2)
    y.retain_grad()
    y.register_hook(lambda g: log.append(("y2", g.tolist())))
    y.sum().backward()
    return [x.grad, y.grad, log, y.retains_grad]


def grad_with_hooks_capture(torch):
    log = []
    x = torch.tensor([1., 2.], requires_grad=True)
    x.register_hook(lambda g: g * 10)
    y = x * 3
    y.register_hook(lambda g: log.append(g.tolist()) or g * 2)
    y.retain_grad()
    z = y.sum()
    res = torch.autograd.grad(z, [x, y], retain_graph=True)
    only_y = torch.autograd.grad(z, [y])
    return [list(res), list(only_y), y.grad, log, x.grad]


def grad_does_not_run_captured_node(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 3
    z = (y + y).sum()
    torch.autograd.grad(z, [y])
    y.sum().backward()  # y's MulBackward0 did not run, so it still has its saved values
    return x.grad


def backward_inputs_nonleaf_runs_its_node(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 3
    z = (y * y).sum()
    z.backward(inputs=[y])
    out = [y.grad, y.retains_grad, x.grad]
    y.sum().backward()  # torch ran y's node during the pass above, freeing it


def backward_inputs_leaf_subset(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    w = torch.tensor([3., 4.], requires_grad=True)
    (x * w).sum().backward(inputs=[w])
    return [x.grad, w.grad]


def node_hooks(torch):
    log = []
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 3
    y.grad_fn.register_hook(lambda gi, go: log.append(("post", [g.tolist() for g in gi if g is not None],
                                                      [g.tolist() for g in go])))
    y.grad_fn.register_prehook(lambda go: log.append(("pre", [g.tolist() for g in go])))
    y.register_hook(lambda g: log.append(("tensor", g.tolist())))
    y.sum().backward()
    return log


def node_post_hook_replaces(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 3
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 0 + 7, None))
    y.sum().backward()
    return x.grad


def hook_removed(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    h = x.register_hook(lambda g: g * 100)
    h.remove()
    (x * 1).sum().backward()
    return x.grad


def next_functions_structure(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    a = x * torch.tensor([1., 1.])
    b = torch.tensor([1., 1.]) * x
    c = (x + 1).sum()
    acc = a.grad_fn.next_functions[0][0]
    return [[(type(n).__name__ if n is not None else None, k) for n, k in a.grad_fn.next_functions],
            [(type(n).__name__ if n is not None else None, k) for n, k in b.grad_fn.next_functions],
            type(c.grad_fn.next_functions[0][0]).__name__,
            acc.variable is x, b.grad_fn.next_functions[1][0] is acc]


def anomaly_nan(torch):
    x = torch.tensor([-1., 2.], requires_grad=True)
    with torch.autograd.set_detect_anomaly(True):
        x.sqrt().sum().backward()


def anomaly_context(torch):
    x = torch.tensor([-1., 2.], requires_grad=True)
    with torch.autograd.detect_anomaly():
        x.sqrt().sum().backward()


def anomaly_off_gives_nan(torch):
    x = torch.tensor([-1., 4.], requires_grad=True)
    x.sqrt().sum().backward()
    return [np.isnan(x.grad.tolist()[0]), x.grad.tolist()[1]]


def fan_out(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    parts = [x * float(k) for k in range(1, 50)]
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    total.sum().backward()
    return x.grad


def leaf_backward(torch):
    x = torch.tensor(2., requires_grad=True)
    x.backward()
    return x.grad


def dtype_of_grads(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    d = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
    (x * d).sum().backward()
    return [x.grad, d.grad]


def broadcast_reduced(torch):
    x = torch.tensor([[1.], [2.]], requires_grad=True)
    y = torch.tensor([1., 2., 3.], requires_grad=True)
    (x * y).sum().backward()
    return [x.grad, y.grad]


def grads_batched(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * x
    return list(torch.autograd.grad(y, x, torch.eye(2), is_grads_batched=True))


def grad_dict_inputs(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    out = torch.autograd.grad((x * x).sum(), {"x": x})
    return [sorted(out), out["x"]]


def leaf_hook_order(torch):
    log = []
    ps = [torch.tensor([1.], requires_grad=True) for _ in range(5)]
    for i, p in enumerate(ps):
        p.register_hook(lambda g, i=i: log.append(i))
    w = torch.tensor([1.], requires_grad=True)
    x = torch.tensor([2.], requires_grad=True)
    w.register_hook(lambda g: log.append("w"))
    x.register_hook(lambda g: log.append("x"))
    torch.mul(torch.add(w, x), torch.add(w, 1)).backward()
    s = ps[0] * 1
    for p in ps[1:]:
        s = s + p
    s.backward()
    ((ps[0] + ps[1] + ps[2]) * ps[3] * ps[4]).backward()
    return log


def nonleaf_grad_none(torch):
    x = torch.tensor([1.], requires_grad=True)
    y = x * 2
    y.backward()
    return y.grad


def root_grad_cast(torch):
    x = torch.tensor([1., 2.], requires_grad=True)
    (x * 2).backward(torch.tensor([1., 1.], dtype=torch.float64))
    return x.grad


SCENARIOS = [
    leaf_and_nonleaf, retain_then_twice, backward_twice, backward_twice_nothing_saved,
    backward_twice_scalar_mul, implicit_non_scalar, no_grad_root, shape_mismatch,
    float_gradient_argument, gradient_count, unused_input, unused_allowed, materialized,
    materialize_conflict, input_without_grad, empty_inputs_grad, empty_inputs_backward,
    backward_inputs_without_grad, int_requires_grad, int_requires_grad_, nonleaf_requires_grad_false,
    grad_outputs_weighting, backward_function_grad_tensors, grad_variables_both, higher_order_sin,
    higher_order_cube, higher_order_product, create_graph_backward_accumulates,
    create_graph_constant_grad, leaf_grad_in_place, inplace_version_saved_input,
    inplace_version_saved_result, inplace_version_result_tanh, inplace_version_leaf_double,
    inplace_not_saved_ok, inplace_rebases_history, retain_grad_and_hooks, grad_with_hooks_capture,
    grad_does_not_run_captured_node, backward_inputs_nonleaf_runs_its_node,
    backward_inputs_leaf_subset, node_hooks, node_post_hook_replaces, hook_removed,
    next_functions_structure, anomaly_nan, anomaly_context, anomaly_off_gives_nan, fan_out,
    leaf_backward, dtype_of_grads, broadcast_reduced, grads_batched, grad_dict_inputs,
    nonleaf_grad_none, root_grad_cast, leaf_hook_order,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_agrees_with_torch(scenario):
    agree(scenario)


# -- the same behaviours pinned without torch ------------------------------------------------------

FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
         "after they have already been freed). Saved intermediate values of the graph are freed "
         "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
         "backward through the graph a second time or if you need to access saved tensors after "
         "calling backward.")
HINT = ("Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
        "with torch.autograd.set_detect_anomaly(True, check_nan=False).")

PINNED = {
    "leaf_and_nonleaf": ("ok", [("T", [2.0, 4.0], "torch.float32", None), True, False, True, True]),
    "retain_then_twice": ("ok", ("T", [4.0, 8.0], "torch.float32", None)),
    "backward_twice": ("raise", "RuntimeError", FREED),
    "backward_twice_nothing_saved": ("ok", ("T", [2.0, 2.0], "torch.float32", None)),
    "backward_twice_scalar_mul": ("raise", "RuntimeError", FREED),
    "implicit_non_scalar": ("raise", "RuntimeError", "grad can be implicitly created only for scalar outputs"),
    "no_grad_root": ("raise", "RuntimeError",
                     "element 0 of tensors does not require grad and does not have a grad_fn"),
    "shape_mismatch": ("raise", "RuntimeError", "Mismatch in shape: grad_output[0] has a shape of "
                       "torch.Size([2, 2]) and output[0] has a shape of torch.Size([])."),
    "float_gradient_argument": ("raise", "TypeError", "gradients can be either Tensors or None, but got float"),
    "gradient_count": ("raise", "RuntimeError", "got 1 tensors and 0 gradients"),
    "unused_input": ("raise", "RuntimeError", "The differentiated Tensor at index 1 appears to not have "
                     "been used in the graph. Set allow_unused=True if this is the desired behavior."),
    "input_without_grad": ("raise", "RuntimeError", "One of the differentiated Tensors does not require grad"),
    "empty_inputs_grad": ("raise", "RuntimeError", "`inputs` argument to `grad()` cannot be empty."),
    "empty_inputs_backward": ("raise", "RuntimeError", "`inputs` argument to `backward()` cannot be empty."),
    "backward_inputs_without_grad": ("raise", "RuntimeError",
                                     "can't retain_grad on Tensor that has requires_grad=False"),
    "int_requires_grad": ("raise", "RuntimeError",
                          "Only Tensors of floating point and complex dtype can require gradients"),
    "int_requires_grad_": ("raise", "RuntimeError", "only Tensors of floating point dtype can require gradients"),
    "inplace_version_saved_input": ("raise", "RuntimeError", "one of the variables needed for gradient "
                                    "computation has been modified by an inplace operation: "
                                    "[torch.FloatTensor [2]], which is output 0 of Mul, is at version 1; "
                                    "expected version 0 instead. " + HINT),
    "inplace_version_saved_result": ("raise", "RuntimeError", "one of the variables needed for gradient "
                                     "computation has been modified by an inplace operation: "
                                     "[torch.FloatTensor [2]], which is output 0 of Exp, is at version 1; "
                                     "expected version 0 instead. " + HINT),
    "inplace_version_leaf_double": ("raise", "RuntimeError", "one of the variables needed for gradient "
                                    "computation has been modified by an inplace operation: "
                                    "[torch.DoubleTensor [3]] is at version 1; expected version 0 instead. "
                                    + HINT),
    "higher_order_sin": ("ok", [("T", 0.76484, "torch.float32", None), ("T", -0.64422, "torch.float32", None),
                                ("T", -0.76484, "torch.float32", None), True, False]),
    "higher_order_cube": ("ok", [("T", 27.0, "torch.float32", None), ("T", 18.0, "torch.float32", None),
                                 ("T", 6.0, "torch.float32", None)]),
    "leaf_grad_in_place": ("ok", [True, ("T", [6.0, 6.0], "torch.float32", None)]),
    "retain_grad_and_hooks": ("ok", [("T", [60.0, 60.0], "torch.float32", None),
                                     ("T", [2.0, 2.0], "torch.float32", None),
                                     [["y1", [1.0, 1.0]], ["y2", [2.0, 2.0]], ["leaf", [6.0, 6.0]]], True]),
    "anomaly_nan": ("raise", "RuntimeError", "Function 'SqrtBackward0' returned nan values in its 0th output."),
    "leaf_hook_order": ("ok", ["w", "x", 4, 3, 2, 1, 0, 4, 3, 2, 0, 1]),
    "fan_out": ("ok", ("T", [1225.0, 1225.0], "torch.float32", None)),
    "create_graph_backward_accumulates": ("ok", [("T", [3.0, 12.0], "torch.float32", None), "CopyBackwards",
                                                 ("T", [6.0, 24.0], "torch.float32", None), "AddBackward0",
                                                 False, ("T", [12.0, 24.0], "torch.float32", None)]),
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_pinned(name):
    scenario = next(s for s in SCENARIOS if s.__name__ == name)
    assert _outcome(gt, scenario) == PINNED[name]


# -- engine properties ---------------------------------------------------------------------------

def test_deep_chain_is_iterative():
    x = gt.tensor([1.0], dtype=gt.float64, requires_grad=True)
    y = x
    for _ in range(200_000):
        y = y * 1.000001
    y.backward()
    np.testing.assert_allclose(x.grad._data, [1.000001 ** 200_000], rtol=1e-9)


def test_deep_sin_chain_matches_recurrence():
    x = gt.tensor([0.5], dtype=gt.float64, requires_grad=True)
    y = x
    ys = []
    for _ in range(2000):
        ys.append(y._data.item())
        y = gt.sin(y) * 0.9 + x
    y.backward()
    d = 0.0
    for v in ys:  # dy_{k+1}/dx = 0.9 cos(y_k) dy_k/dx + 1
        d = 0.9 * np.cos(v) * d + 1
    np.testing.assert_allclose(x.grad._data, [d], rtol=1e-10)


def test_wide_fan_out_and_fan_in():
    x = gt.tensor([1.0, 2.0], requires_grad=True)
    total = sum((x * float(k) for k in range(1, 2001)), gt.zeros(2))
    total.sum().backward()
    assert x.grad.tolist() == [2001000.0, 2001000.0]


def test_nonleaf_grad_access_warns_with_torchs_text():
    x = gt.tensor([1.], requires_grad=True)
    y = x * 2
    with pytest.warns(UserWarning, match=r"^The \.grad attribute of a Tensor that is not a leaf Tensor "
                                         r"is being accessed\. Its \.grad attribute won't be populated"):
        assert y.grad is None
    y.retain_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert y.grad is None


def test_backward_create_graph_warns_once_about_cycle(monkeypatch):
    from gradcli.autograd import entry
    monkeypatch.setattr(entry, "_warned_cycle", False)
    x = gt.tensor([1.], requires_grad=True)
    with pytest.warns(UserWarning, match="^Using backward\\(\\) with create_graph=True will create a "
                                         "reference cycle"):
        (x * x).sum().backward(create_graph=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x * x).sum().backward(create_graph=True)


def test_anomaly_mode_objects_behave_like_torchs():
    from gradcli.autograd import grad_mode
    assert isinstance(gt.autograd.set_detect_anomaly, type)
    assert isinstance(gt.autograd.detect_anomaly, type)
    gt.autograd.set_detect_anomaly(True)
    assert grad_mode.is_anomaly_enabled()
    gt.autograd.set_detect_anomaly(False)
    assert not grad_mode.is_anomaly_enabled()
    with gt.autograd.set_detect_anomaly(True):
        assert grad_mode.is_anomaly_enabled()
    assert not grad_mode.is_anomaly_enabled()
    with pytest.warns(UserWarning, match="^Anomaly Detection has been enabled"):
        with gt.autograd.detect_anomaly():
            assert grad_mode.is_anomaly_enabled()
    assert not grad_mode.is_anomaly_enabled()


def test_grad_fn_call_by_hand():
    x = gt.tensor([1., 2.], requires_grad=True)
    y = x * gt.tensor([3., 4.])
    out = y.grad_fn(gt.ones(2))
    assert [None if o is None else o.tolist() for o in out] == [[3.0, 4.0], None]


def test_leaf_grad_is_not_shared_between_leaves():
    x = gt.tensor([1., 2.], requires_grad=True)
    w = gt.tensor([1., 2.], requires_grad=True)
    (x + w).sum().backward()
    x.grad.add_(1)
    assert w.grad.tolist() == [1.0, 1.0]


def test_leaf_grad_is_not_the_users_gradient():
    x = gt.tensor([1., 2.], requires_grad=True)
    g = gt.tensor([1., 1.])
    (x + 0).backward(g)
    x.grad.add_(1)
    assert g.tolist() == [1.0, 1.0]


def test_graph_is_freed_after_backward():
    import weakref
    x = gt.tensor([1., 2.], requires_grad=True)
    y = x.sin()
    node = weakref.ref(y.grad_fn)
    y.sum().backward()
    assert y.grad_fn._saved == ()
    del y
    gc.collect()
    assert node() is None


def test_no_grad_and_set_grad_enabled():
    x = gt.tensor([1.], requires_grad=True)
    with gt.no_grad():
        assert (x * 2).grad_fn is None
        with gt.enable_grad():
            assert (x * 2).grad_fn is not None
    gt.set_grad_enabled(False)
    try:
        assert not (x * 2).requires_grad
    finally:
        gt.set_grad_enabled(True)

    @gt.no_grad()
    def f(t):
        return t * 2
    assert not f(x).requires_grad


def test_create_graph_grad_through_broadcast_keeps_its_grad_fn():
    # the engine's un-broadcast compared a Tensor's dtype with a numpy dtype and so cast
    # every such gradient: grad_fn was ToCopyBackward0 instead of the formula's own node
    def scenario(torch):
        x = torch.full((1, 3), 0.5, dtype=torch.float64, requires_grad=True)
        c = torch.full((2, 1), 2.0, dtype=torch.float64, requires_grad=True)
        g, = torch.autograd.grad((x * c).sum(), x, create_graph=True)
        return [g, type(g.grad_fn).__name__]
    ours = agree(scenario)
    assert ours[1][1] == "SumBackward1"
