"""Random numbers: our own seeded generator (numpy's PCG64), not PyTorch's stream.

Runs are reproducible (the default generator starts from a fixed seed, and
``torch.manual_seed(s)`` restarts it), and the values are well distributed; they do
not equal PyTorch's for the same seed.  Shapes, dtypes, ``requires_grad`` and the
errors follow torch.
"""

from __future__ import annotations

import operator

import numpy as np

from . import dtypes
from .creation import _finish, _np_dtype, _size, _size_argument
from .limits import check_shape
from .ops._dispatch import _torch_type_name, check_inplace, bump_version
from .ops.dtype_support import kernel_error
from .tensor import Tensor, wrap

DEFAULT_SEED = 67280421310721  # torch's default_rng_seed_val


class Generator:
    """torch.Generator: ``manual_seed`` returns the generator, as in torch."""

    def __init__(self, device="cpu"):
        self.device = device
        self.manual_seed(DEFAULT_SEED)

    def manual_seed(self, seed) -> "Generator":
        seed = int(seed)
        self._initial = seed
        self._numpy_rng = None  # made on the first draw: importing numpy.random slows every start
        return self

    @property
    def _rng(self):
        if self._numpy_rng is None:
            self._numpy_rng = np.random.Generator(np.random.PCG64(self._initial & 0xFFFFFFFFFFFFFFFF))
        return self._numpy_rng

    def seed(self) -> int:
        s = int(np.random.SeedSequence().entropy) & 0xFFFFFFFFFFFFFFFF
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        return self._initial

    def get_state(self) -> Tensor:
        state = self._rng.bit_generator.state
        raw = repr(state).encode()
        return wrap(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state) -> "Generator":
        import ast
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state.dtype is not dtypes.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        try:  # a state get_state() made: the repr of numpy's generator state
            self._rng.bit_generator.state = ast.literal_eval(bytes(new_state._data).decode())
        except (ValueError, TypeError, KeyError, SyntaxError, RecursionError, MemoryError):
            expected = self.get_state()._data.size
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {expected} but found the input "
                               f"RNG state size to be {new_state._data.size}") from None
        return self

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {id(self):#x}>"


default_generator = Generator()


def _rng(generator):
    return (generator or default_generator)._rng


def manual_seed(seed) -> Generator:
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    default_generator.set_state(new_state)


def _float_dtype(dtype, fname):
    nd = _np_dtype(dtype) if dtype is not None else dtypes.defaults.float.np
    if nd.kind != "f":
        kernel = "check_uniform_bounds" if fname == "rand" else "normal_kernel_cpu"
        raise kernel_error(kernel, nd)
    return nd


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None, **kw) -> Tensor:
    size = _size_argument("rand", size, kw)
    nd = _float_dtype(dtype, "rand")
    return _finish(_rng(generator).random(_size(size)).astype(nd), requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None, **kw) -> Tensor:
    size = _size_argument("randn", size, kw)
    nd = _float_dtype(dtype, "randn")
    return _finish(_rng(generator).standard_normal(_size(size)).astype(nd), requires_grad)


def rand_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    nd = _float_dtype(dtype or dtypes.of_array(input._data), "rand")
    return _finish(_rng(None).random(input._data.shape).astype(nd), requires_grad)


def randn_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None) -> Tensor:
    nd = _float_dtype(dtype or dtypes.of_array(input._data), "randn")
    return _finish(_rng(None).standard_normal(input._data.shape).astype(nd), requires_grad)


def _randint_error(args):
    got = ", ".join(type(a).__name__ for a in args)
    opts = "tuple of ints size, *, torch.Generator generator, Tensor out = None, torch.dtype dtype = None, " \
           "torch.layout layout = None, torch.device device = None, bool pin_memory = False, bool requires_grad = False"
    opts2 = "tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, " \
            "torch.device device = None, bool pin_memory = False, bool requires_grad = False"
    return TypeError(
        f"randint() received an invalid combination of arguments - got ({got}), but expected one of:\n"
        f" * (int high, {opts})\n * (int high, {opts2})\n"
        f" * (int low, int high, {opts})\n * (int low, int high, {opts2})\n")


def randint(*args, size=None, generator=None, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    pos = list(args)
    if size is None and pos and isinstance(pos[-1], (tuple, list)):
        size = pos.pop()
    if size is None or len(pos) not in (1, 2):
        raise _randint_error(args)
    low, high = (0, pos[0]) if len(pos) == 1 else pos
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    nd = _np_dtype(dtype) if dtype is not None else np.dtype(np.int64)
    arr = _rng(generator).integers(low, high, _size((tuple(size),))).astype(nd)
    return _finish(arr, requires_grad)


def randint_like(input, low=0, high=None, *, dtype=None, requires_grad=False) -> Tensor:
    if high is None:
        low, high = 0, low
    nd = _np_dtype(dtype) or input._data.dtype
    return _finish(_rng(None).integers(low, high, input._data.shape).astype(nd), requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    n = operator.index(n)  # torch's int: an int or a one-element integer tensor
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    check_shape((n,), 8)
    nd = _np_dtype(dtype) if dtype is not None else np.dtype(np.int64)
    return _finish(_rng(generator).permutation(n).astype(nd), requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, out=None, requires_grad=False) -> Tensor:
    rng = _rng(generator)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        m = mean._data if isinstance(mean, Tensor) else mean
        s = std._data if isinstance(std, Tensor) else std
        if isinstance(std, Tensor) and (s < 0).any() or not isinstance(std, Tensor) and s < 0:
            raise RuntimeError(f"normal expects all elements of std >= 0.0")
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        check_shape(shape)
        nd = (mean if isinstance(mean, Tensor) else std)._data.dtype
        return wrap((m + s * rng.standard_normal(shape)).astype(nd))
    if size is None:
        raise TypeError("normal() missing 1 required positional arguments: \"size\"")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    nd = _np_dtype(dtype) if dtype is not None else dtypes.defaults.float.np
    return _finish((mean + std * rng.standard_normal(_size((tuple(size),)))).astype(nd), requires_grad)


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    if p is None and input._data.dtype.kind != "f":
        raise kernel_error("bernoulli_tensor_cpu_p_", input._data.dtype)
    probs = input._data if p is None else np.full(input._data.shape, p)
    if ((probs < 0) | (probs > 1)).any():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")
    return wrap((_rng(generator).random(input._data.shape) < probs).astype(input._data.dtype))


def multinomial(input, num_samples, replacement=False, *, generator=None) -> Tensor:
    if input._data.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if input._data.dtype.kind != "f":
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           + _torch_type_name(input._data.dtype))
    num_samples = operator.index(num_samples)
    check_shape(input._data.shape[:-1] + (num_samples,), 8)
    d = input._data.astype(np.float64)
    if (d < 0).any():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    rng = _rng(generator)
    rows = d.reshape(-1, d.shape[-1])
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    out = np.stack([rng.choice(r.size, num_samples, replace=replacement, p=r / r.sum()) for r in rows])
    return wrap(out.reshape(d.shape[:-1] + (num_samples,)).astype(np.int64))


# -- in-place fills (nn.init uses these) ---------------------------------------------------------


def _fill_random(self, values) -> Tensor:
    check_inplace(self)
    self._data[...] = values
    bump_version(self)
    return self


def uniform_(self, a=0.0, b=1.0, *, generator=None) -> Tensor:
    _float_dtype(dtypes.of_array(self._data), "rand")
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    return _fill_random(self, _rng(generator).uniform(a, b, self._data.shape))


def normal_(self, mean=0.0, std=1.0, *, generator=None) -> Tensor:
    _float_dtype(dtypes.of_array(self._data), "randn")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    return _fill_random(self, mean + std * _rng(generator).standard_normal(self._data.shape))


def bernoulli_(self, p=0.5, *, generator=None) -> Tensor:
    probs = p._data if isinstance(p, Tensor) else p
    if isinstance(p, Tensor):  # torch expands p to self's shape
        from .ops.shape import _expand_shape
        _expand_shape(probs, self._data.shape)
    return _fill_random(self, _rng(generator).random(self._data.shape) < probs)


def random_(self, from_=0, to=None, *, generator=None) -> Tensor:
    if to is None:
        from_, to = 0, from_ if from_ else 2 ** 24
    return _fill_random(self, _rng(generator).integers(from_, to, self._data.shape))


def exponential_(self, lambd=1.0, *, generator=None) -> Tensor:
    if self._data.dtype.kind != "f":
        raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_torch_type_name(self._data.dtype)}")
    return _fill_random(self, _rng(generator).exponential(1.0 / lambd, self._data.shape))


def _tensor_bernoulli(self, p=None, *, generator=None):
    return bernoulli(self, p, generator=generator)


TENSOR_METHODS = {
    "uniform_": uniform_, "normal_": normal_, "bernoulli_": bernoulli_, "random_": random_,
    "exponential_": exponential_, "bernoulli": _tensor_bernoulli,
    "multinomial": multinomial,
}
