"""Tests for gradcli.autograd.printing: pinned golden strings plus a torch comparison."""

import math

import numpy as np
import pytest

from gradcli.autograd.printing import (
    format_size,
    format_tensor,
    get_printoptions,
    printoptions,
    set_printoptions,
)

# (name, numpy expression, torch dtype name, caller suffixes, repr printed by torch 2.13)
GOLDEN = [
    ('scalar_float', 'np.array(5.656854, dtype=np.float32)', 'float32', [],
     'tensor(5.6569)'),
    ('scalar_int', 'np.array(3)', 'int64', [],
     'tensor(3)'),
    ('scalar_bool', 'np.array(True)', 'bool', [],
     'tensor(True)'),
    ('scalar_nan', 'np.array(np.nan, dtype=np.float32)', 'float32', [],
     'tensor(nan)'),
    ('scalar_neg_zero', 'np.array(-0.0, dtype=np.float32)', 'float32', [],
     'tensor(-0.)'),
    ('scalar_tiny_f64', 'np.array(1e-10)', 'float64', [],
     'tensor(1.0000e-10, dtype=torch.float64)'),
    ('integral', 'np.array([1.0, 2.0], dtype=np.float32)', 'float32', [],
     'tensor([1., 2.])'),
    ('sci', 'np.array([102.4, 1024.0, 0.1024], dtype=np.float32)', 'float32', [],
     'tensor([1.0240e+02, 1.0240e+03, 1.0240e-01])'),
    ('negatives', 'np.array([[-1.5, 2.25], [3.0, -400.125]], dtype=np.float32)', 'float32', [],
     'tensor([[  -1.5000,    2.2500],\n'
     '        [   3.0000, -400.1250]])'),
    ('specials', 'np.array([np.nan, np.inf, -np.inf, -0.0, 1.5], dtype=np.float32)', 'float32', [],
     'tensor([   nan,    inf,   -inf, -0.0000, 1.5000])'),
    ('specials_integral', 'np.array([np.nan, -np.inf, 0.0, -2.0], dtype=np.float32)', 'float32', [],
     'tensor([nan, -inf,  0., -2.])'),
    ('large', 'np.array([1e9, 2.0], dtype=np.float32)', 'float32', [],
     'tensor([1.0000e+09, 2.0000e+00])'),
    ('small', 'np.array([1e-5, 0.5], dtype=np.float32)', 'float32', [],
     'tensor([1.0000e-05, 5.0000e-01])'),
    ('f64_range', 'np.array([1e-300, 1e300])', 'float64', [],
     'tensor([1.0000e-300, 1.0000e+300], dtype=torch.float64)'),
    ('boundary_min', 'np.array([1e-4, 0.05])', 'float64', [],
     'tensor([0.0001, 0.0500], dtype=torch.float64)'),
    ('boundary_ratio', 'np.array([1.5, 1500.0], dtype=np.float32)', 'float32', [],
     'tensor([   1.5000, 1500.0000])'),
    ('boundary_max', 'np.array([1e8, -1e7], dtype=np.float32)', 'float32', [],
     'tensor([100000000., -10000000.])'),
    ('float64', 'np.array([1.0, 2.0])', 'float64', ['requires_grad=True'],
     'tensor([1., 2.], dtype=torch.float64, requires_grad=True)'),
    ('int_columns', 'np.array([[1, -20], [300, 4]])', 'int64', [],
     'tensor([[  1, -20],\n'
     '        [300,   4]])'),
    ('int32', 'np.array([1, 2], dtype=np.int32)', 'int32', [],
     'tensor([1, 2], dtype=torch.int32)'),
    ('bool_matrix', 'np.array([[True, False], [False, True]])', 'bool', [],
     'tensor([[ True, False],\n'
     '        [False,  True]])'),
    ('empty', 'np.zeros(0, dtype=np.float32)', 'float32', [],
     'tensor([])'),
    ('empty_int', 'np.zeros(0, dtype=np.int64)', 'int64', [],
     'tensor([], dtype=torch.int64)'),
    ('empty_2d', 'np.zeros((0, 3), dtype=np.float32)', 'float32', [],
     'tensor([], size=(0, 3))'),
    ('empty_3d_f64', 'np.zeros((2, 0, 3))', 'float64', ['requires_grad=True'],
     'tensor([], size=(2, 0, 3), dtype=torch.float64, requires_grad=True)'),
    ('wrap_1d', 'np.arange(30, dtype=np.float32) * 1.37', 'float32', [],
     'tensor([ 0.0000,  1.3700,  2.7400,  4.1100,  5.4800,  6.8500,  8.2200,  9.5900,\n'
     '        10.9600, 12.3300, 13.7000, 15.0700, 16.4400, 17.8100, 19.1800, 20.5500,\n'
     '        21.9200, 23.2900, 24.6600, 26.0300, 27.4000, 28.7700, 30.1400, 31.5100,\n'
     '        32.8800, 34.2500, 35.6200, 36.9900, 38.3600, 39.7300])'),
    ('wrap_suffix', 'np.arange(7, dtype=np.float32) * 1111.5', 'float64', ['grad_fn=<MulBackward0>'],
     'tensor([   0.0000, 1111.5000, 2223.0000, 3334.5000, 4446.0000, 5557.5000,\n'
     '        6669.0000], dtype=torch.float64, grad_fn=<MulBackward0>)'),
    ('wrap_two_suffixes', 'np.arange(9, dtype=np.float32) + 0.5', 'float64', ['requires_grad=True'],
     'tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000, 8.5000],\n'
     '       dtype=torch.float64, requires_grad=True)'),
    ('three_d', 'np.arange(12, dtype=np.float32).reshape(2, 3, 2) / 4', 'float32', ['grad_fn=<DivBackward0>'],
     'tensor([[[0.0000, 0.2500],\n'
     '         [0.5000, 0.7500],\n'
     '         [1.0000, 1.2500]],\n'
     '\n'
     '        [[1.5000, 1.7500],\n'
     '         [2.0000, 2.2500],\n'
     '         [2.5000, 2.7500]]], grad_fn=<DivBackward0>)'),
    ('summarized_1d', 'np.arange(1001)', 'int64', [],
     'tensor([   0,    1,    2,  ...,  998,  999, 1000])'),
    ('summarized_2d', 'np.arange(2000, dtype=np.float32).reshape(40, 50) / 7', 'float32', [],
     'tensor([[0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 6.7143e+00, 6.8571e+00,\n'
     '         7.0000e+00],\n'
     '        [7.1429e+00, 7.2857e+00, 7.4286e+00,  ..., 1.3857e+01, 1.4000e+01,\n'
     '         1.4143e+01],\n'
     '        [1.4286e+01, 1.4429e+01, 1.4571e+01,  ..., 2.1000e+01, 2.1143e+01,\n'
     '         2.1286e+01],\n'
     '        ...,\n'
     '        [2.6429e+02, 2.6443e+02, 2.6457e+02,  ..., 2.7100e+02, 2.7114e+02,\n'
     '         2.7129e+02],\n'
     '        [2.7143e+02, 2.7157e+02, 2.7171e+02,  ..., 2.7814e+02, 2.7829e+02,\n'
     '         2.7843e+02],\n'
     '        [2.7857e+02, 2.7871e+02, 2.7886e+02,  ..., 2.8529e+02, 2.8543e+02,\n'
     '         2.8557e+02]])'),
    ('summarized_3d', 'np.arange(1500).reshape(2, 25, 30) % 7 - 3', 'int64', [],
     'tensor([[[-3, -2, -1,  ...,  3, -3, -2],\n'
     '         [-1,  0,  1,  ..., -2, -1,  0],\n'
     '         [ 1,  2,  3,  ...,  0,  1,  2],\n'
     '         ...,\n'
     '         [-1,  0,  1,  ..., -2, -1,  0],\n'
     '         [ 1,  2,  3,  ...,  0,  1,  2],\n'
     '         [ 3, -3, -2,  ...,  2,  3, -3]],\n'
     '\n'
     '        [[-2, -1,  0,  ..., -3, -2, -1],\n'
     '         [ 0,  1,  2,  ..., -1,  0,  1],\n'
     '         [ 2,  3, -3,  ...,  1,  2,  3],\n'
     '         ...,\n'
     '         [ 0,  1,  2,  ..., -1,  0,  1],\n'
     '         [ 2,  3, -3,  ...,  1,  2,  3],\n'
     '         [-3, -2, -1,  ...,  3, -3, -2]]])'),
    ('summarized_4d', 'np.arange(1040).reshape(8, 1, 1, 130) - 500', 'int64', [],
     'tensor([[[[-500, -499, -498,  ..., -373, -372, -371]]],\n'
     '\n'
     '\n'
     '        [[[-370, -369, -368,  ..., -243, -242, -241]]],\n'
     '\n'
     '\n'
     '        [[[-240, -239, -238,  ..., -113, -112, -111]]],\n'
     '\n'
     '\n'
     '        ...,\n'
     '\n'
     '\n'
     '        [[[ 150,  151,  152,  ...,  277,  278,  279]]],\n'
     '\n'
     '\n'
     '        [[[ 280,  281,  282,  ...,  407,  408,  409]]],\n'
     '\n'
     '\n'
     '        [[[ 410,  411,  412,  ...,  537,  538,  539]]]])'),
    ('float16', 'np.array([0.1, 2.5, 1000.0], dtype=np.float16)', 'float16', [],
     'tensor([9.9976e-02, 2.5000e+00, 1.0000e+03], dtype=torch.float16)'),
    ('uint8', 'np.array([[0, 255], [7, 8]], dtype=np.uint8)', 'uint8', [],
     'tensor([[  0, 255],\n'
     '        [  7,   8]], dtype=torch.uint8)'),
]

# (print options, numpy expression, torch dtype name, repr printed by torch 2.13)
OPTION_GOLDEN = [
    ({'precision': 2}, 'np.array([1.12345, -2.5], dtype=np.float32)', 'float32',
     'tensor([ 1.12, -2.50])'),
    ({'sci_mode': False}, 'np.array([1e-5, 123.0], dtype=np.float32)', 'float32',
     'tensor([  0.0000, 123.0000])'),
    ({'sci_mode': True}, 'np.array([1.5, 2.0], dtype=np.float32)', 'float32',
     'tensor([1.5000e+00, 2.0000e+00])'),
    ({'sci_mode': True}, 'np.array([0.0, np.nan], dtype=np.float32)', 'float32',
     'tensor([0., nan])'),
    ({'threshold': 5}, 'np.arange(10)', 'int64',
     'tensor([0, 1, 2,  ..., 7, 8, 9])'),
    ({'threshold': 5, 'edgeitems': 1}, 'np.arange(24, dtype=np.float32).reshape(2, 3, 4)', 'float32',
     'tensor([[[ 0.,  ...,  3.],\n'
     '         ...,\n'
     '         [ 8.,  ..., 11.]],\n'
     '\n'
     '        [[12.,  ..., 15.],\n'
     '         ...,\n'
     '         [20.,  ..., 23.]]])'),
    ({'threshold': 5, 'edgeitems': 0}, 'np.arange(24).reshape(4, 6)', 'int64',
     'tensor([...], size=(4, 6))'),
    ({'linewidth': 30}, 'np.arange(12, dtype=np.float64) / 3', 'float64',
     'tensor([0.0000, 0.3333,\n'
     '        0.6667, 1.0000,\n'
     '        1.3333, 1.6667,\n'
     '        2.0000, 2.3333,\n'
     '        2.6667, 3.0000,\n'
     '        3.3333, 3.6667],\n'
     '       dtype=torch.float64)'),
    ({'profile': 'short'}, 'np.arange(12, dtype=np.float32).reshape(2, 6) / 3', 'float32',
     'tensor([[0.00, 0.33, 0.67, 1.00, 1.33, 1.67],\n'
     '        [2.00, 2.33, 2.67, 3.00, 3.33, 3.67]])'),
]


@pytest.fixture(autouse=True)
def _default_printoptions():
    """Every test starts and ends with the default options (here and in torch)."""
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")
    try:
        import torch
    except ImportError:
        return
    torch.set_printoptions(profile="default")


def _make(expr):
    return np.asarray(eval(expr, {"np": np}))


# ---------------------------------------------------------------- torch-free


@pytest.mark.parametrize("name,expr,dtype,suffixes,expected", GOLDEN,
                         ids=[case[0] for case in GOLDEN])
def test_golden(name, expr, dtype, suffixes, expected):
    assert format_tensor(_make(expr), dtype_name=dtype, suffixes=suffixes) == expected


@pytest.mark.parametrize("options,expr,dtype,expected", OPTION_GOLDEN)
def test_golden_with_options(options, expr, dtype, expected):
    with printoptions(**options):
        assert format_tensor(_make(expr), dtype_name=dtype) == expected


def test_format_size():
    assert format_size((2, 2)) == "torch.Size([2, 2])"
    assert format_size(()) == "torch.Size([])"
    assert format_size(np.zeros((0, 3)).shape) == "torch.Size([0, 3])"


def test_printoptions_state():
    assert get_printoptions() == {"precision": 4, "threshold": 1000, "edgeitems": 3,
                                  "linewidth": 80, "sci_mode": None}
    set_printoptions(precision=2, sci_mode=True)
    assert get_printoptions()["precision"] == 2 and get_printoptions()["sci_mode"]
    set_printoptions(linewidth=100)  # like torch, omitting sci_mode resets it
    assert get_printoptions()["sci_mode"] is None
    with printoptions(profile="full"):
        assert get_printoptions()["threshold"] == math.inf
    assert get_printoptions()["threshold"] == 1000
    assert get_printoptions()["precision"] == 2


def test_dtype_name_casts_and_prefix():
    # A float64 buffer printed as float32 shows float32 rounding, as torch would.
    data = np.array([0.1 + 1e-12, 2.0])
    assert format_tensor(data, dtype_name="float32") == "tensor([0.1000, 2.0000])"
    assert format_tensor(data, dtype_name="torch.float64") == (
        "tensor([0.1000, 2.0000], dtype=torch.float64)")
    # Under a float64 default, float64 is unmarked and float32 is marked.
    assert format_tensor(data, dtype_name="float64", default_float="float64") == (
        "tensor([0.1000, 2.0000])")
    assert format_tensor(np.zeros(0), dtype_name="float32", default_float="float64") == (
        "tensor([], dtype=torch.float32)")
    with pytest.raises(TypeError):
        format_tensor(np.array([1j]), dtype_name="complex64")


# ---------------------------------------------------------- against torch


INT_DTYPES = [np.int64, np.int32, np.int16, np.int8, np.uint8]
BOUNDARY_VALUES = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-4, 9.9999e-5, 1e8, 1.0000001e8, 1000.0,
                   999.99995, 9.99995, 0.99995, 0.00005, 123456.78, -7.25, 3.0, 1e-10,
                   1e10, 65504.0, 2.0 ** -24]


def _random_shape(rng):
    ndim = int(rng.integers(0, 5))
    if ndim and rng.random() < 0.08:
        shape = [int(rng.integers(1, 4)) for _ in range(ndim)]
        shape[int(rng.integers(ndim))] = 0
        return tuple(shape)
    if ndim == 1:
        return (int(rng.choice([rng.integers(1, 12), rng.integers(12, 120),
                                rng.integers(990, 2500)])),)
    largest = {0: 1, 2: 45, 3: 14, 4: 8}[ndim]
    return tuple(int(rng.integers(1, largest + 1)) for _ in range(ndim))


def _random_floats(rng, n):
    kind = rng.integers(6)
    if kind == 0:  # one scale anywhere from 1e-10 to 1e10
        values = rng.standard_normal(n) * 10.0 ** rng.uniform(-10, 10)
    elif kind == 1:  # integral floats
        values = np.round(rng.standard_normal(n) * 10.0 ** rng.integers(0, 10))
    elif kind == 2:  # every element at its own scale
        values = rng.standard_normal(n) * 10.0 ** rng.uniform(-10, 10, n)
    elif kind == 3:  # values near the notation and rounding boundaries
        values = rng.choice(BOUNDARY_VALUES, n) * rng.choice([1, -1], n)
    elif kind == 4:
        values = np.zeros(n)
    else:
        values = rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-5, 6)
    if rng.random() < 0.3:
        spots = rng.random(n) < rng.uniform(0.05, 1.0)
        values[spots] = rng.choice([np.nan, np.inf, -np.inf, -0.0], int(spots.sum()))
    return values


def _random_array(rng):
    shape = _random_shape(rng)
    n = math.prod(shape)
    kind = rng.integers(9)
    if kind < 5:
        dtype = [np.float32, np.float32, np.float64, np.float64, np.float16][int(kind)]
        with np.errstate(over="ignore"):
            return _random_floats(rng, n).astype(dtype).reshape(shape)
    if kind < 8:
        dtype = INT_DTYPES[int(rng.integers(len(INT_DTYPES)))]
        info = np.iinfo(dtype)
        high = int(rng.choice([10, 1000, 10 ** 6, info.max]))
        low = max(info.min, -high)
        return np.asarray(rng.integers(low, min(high, info.max), size=shape,
                                       endpoint=True, dtype=dtype))
    return np.asarray(rng.random(shape) < rng.random())


def _torch_repr(torch, arr, suffix_kind):
    """repr of the torch tensor holding arr; the suffix list our caller would pass."""
    tensor = torch.from_numpy(arr.copy())
    if suffix_kind == "requires_grad":
        return repr(tensor.requires_grad_()), ["requires_grad=True"]
    if suffix_kind == "grad_fn":
        return repr(tensor.requires_grad_() * 1), ["grad_fn=<MulBackward0>"]
    if suffix_kind == "parameter":
        return repr(torch.nn.Parameter(tensor)), ["requires_grad=True"]
    return repr(tensor), []


def _compare_random(torch, rng, count):
    for _ in range(count):
        arr = _random_array(rng)
        suffix_kind = None
        if arr.dtype.kind == "f" and arr.size and rng.random() < 0.4:
            suffix_kind = str(rng.choice(["requires_grad", "grad_fn", "parameter"]))
        expected, suffixes = _torch_repr(torch, arr, suffix_kind)
        dtype_name = str(torch.from_numpy(arr).dtype).replace("torch.", "")
        ours = format_tensor(arr, dtype_name=dtype_name, suffixes=suffixes)
        if suffix_kind == "parameter":
            ours = "Parameter containing:\n" + ours
        assert ours == expected, (arr.dtype, arr.shape, arr.ravel()[:20])


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


def test_golden_matches_torch(torch):
    for name, expr, dtype, suffixes, expected in GOLDEN:
        tensor = torch.from_numpy(_make(expr)).to(getattr(torch, dtype))
        if suffixes == ["requires_grad=True"]:
            tensor.requires_grad_()
        elif suffixes:
            tensor = tensor.requires_grad_() * 1 if "Mul" in suffixes[0] else (
                tensor.requires_grad_() / 1)
        assert repr(tensor) == expected, name
    for options, expr, dtype, expected in OPTION_GOLDEN:
        torch.set_printoptions(**options)
        assert repr(torch.from_numpy(_make(expr)).to(getattr(torch, dtype))) == expected
        torch.set_printoptions(profile="default")


def test_random_against_torch(torch):
    _compare_random(torch, np.random.default_rng(20240601), 2000)


def test_random_options_against_torch(torch):
    rng = np.random.default_rng(7)
    for _ in range(60):
        options = {
            "precision": int(rng.integers(0, 9)),
            "threshold": [0, 5, 30, 200, 1000, math.inf][int(rng.integers(6))],
            "edgeitems": int(rng.integers(0, 5)),
            "linewidth": int(rng.choice([10, 30, 60, 80, 150])),
            "sci_mode": [None, True, False][int(rng.integers(3))],
        }
        torch.set_printoptions(**options)
        set_printoptions(**options)
        _compare_random(torch, rng, 25)


def test_default_float64_against_torch(torch):
    rng = np.random.default_rng(3)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        for _ in range(200):
            arr = _random_array(rng)
            dtype_name = str(torch.from_numpy(arr).dtype).replace("torch.", "")
            ours = format_tensor(arr, dtype_name=dtype_name, default_float="float64")
            assert ours == repr(torch.from_numpy(arr)), (arr.dtype, arr.shape)
    finally:
        torch.set_default_dtype(previous)


def test_hypothesis_float32_rows_against_torch(torch):
    hypothesis = pytest.importorskip("hypothesis")
    st = pytest.importorskip("hypothesis.strategies")

    @hypothesis.settings(max_examples=200, deadline=None)
    @hypothesis.given(st.lists(st.floats(width=32), max_size=25),
                      st.sampled_from([None, "requires_grad"]))
    def check(values, suffix_kind):
        arr = np.array(values, dtype=np.float32)
        expected, suffixes = _torch_repr(torch, arr, suffix_kind if arr.size else None)
        assert format_tensor(arr, dtype_name="float32", suffixes=suffixes) == expected

    check()
