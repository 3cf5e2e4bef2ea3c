"""The Tensor: a numpy array, and the autograd state PyTorch keeps beside it.

Hot state lives in slots (``_data``, ``_requires_grad``, ``grad_fn``); rarely set
state (``.grad``, hooks, the version counter) falls back to class defaults and
only costs an instance dict on the tensors that use it.  Arithmetic and the rest
of the method surface are bound from the op modules (see ``ops/__init__.py``).
"""

from __future__ import annotations

import operator
import warnings

import numpy as np

from . import dtypes
from .ops import registry

_NON_LEAF_GRAD = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered "
    "internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)"
)

_DETACH_VIEW = (
    "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) "
    "for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and "
    "hence detach_() cannot be called on these gradients. To fix this error, please refer to the "
    "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")


class Size(tuple):
    """torch.Size: a tuple that prints as ``torch.Size([2, 2])``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n


class Tensor:
    __slots__ = ("_data", "_requires_grad", "grad_fn", "__dict__", "__weakref__")

    # rarely set state: class defaults, overridden per instance when used
    _grad = None
    _vc = None           # version counter: a one-element list shared with views
    _accum = None        # weakref to this leaf's AccumulateGrad
    _hooks = None        # hooks of a leaf (a non-leaf's live on its grad_fn)
    _post_accumulate_hooks = None  # a leaf's hooks run after backward adds into .grad
    _retains_grad = False
    _is_param = False
    _port = None         # the edge into its output when its grad_fn has several (function.OutputPort)
    __array_priority__ = 1000  # so ndarray (op) Tensor defers to Tensor

    def __new__(cls, *args, dtype=None, device=None, requires_grad=False):
        # torch.Tensor(data) / torch.Tensor(2, 3): the legacy constructor, float32
        from .creation import legacy_tensor
        return legacy_tensor(cls, args, dtypes.defaults.float if dtype is None else dtype)

    # -- autograd state -------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag) -> None:
        # the attribute's own texts: shorter for a non-leaf set to True, "and complex" for ints
        if self.grad_fn is not None and flag:
            raise RuntimeError("you can only change requires_grad flags of leaf variables.")
        if flag and self.grad_fn is None and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        if self.grad_fn is not None:
            if requires_grad:
                return self
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self):
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(_NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if value._data.shape != self._data.shape:
                raise RuntimeError("assigned grad has data of a different size")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError("assigned grad has data of a different type")
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return  # a leaf keeps its grad anyway
        if self._retains_grad:
            return
        self._retains_grad = True
        node = self.grad_fn
        if node._pre_hooks is None:
            node._pre_hooks = []
        nr = self._output_of(node)
        node._pre_hooks.append(("retain", self) if nr is None else ("retain", self, nr))

    def _output_of(self, node):
        """Which output of ``node`` (its grad_fn) this is, when ``node`` has several; else None."""
        p = self._port
        return p.nr if p is not None and p.node is node else None

    @property
    def output_nr(self) -> int:
        fn = self.grad_fn
        return 0 if fn is None else self._output_of(fn) or 0

    def register_hook(self, hook):
        """hook(grad) -> Tensor or None, called with this tensor's gradient in backward."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from .function import _RemovableHandle
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            self._hooks.append(hook)
            return _RemovableHandle(self._hooks, hook)
        node = self.grad_fn
        if node._pre_hooks is None:
            node._pre_hooks = []
        nr = self._output_of(node)
        if nr is None:
            entry = ("tensor", hook)
        else:  # torch runs the outputs' hooks in the order each output got its first one
            entry = ("tensor", hook, nr)
            order = node._outputs.hook_order
            if nr not in order:
                order.append(nr)
        node._pre_hooks.append(entry)
        return _RemovableHandle(node._pre_hooks, entry)

    def register_post_accumulate_grad_hook(self, hook):
        """hook(tensor), called after backward has added into this leaf's .grad."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        from .function import _RemovableHandle
        if self._post_accumulate_hooks is None:
            self._post_accumulate_hooks = []
        self._post_accumulate_hooks.append(hook)
        return _RemovableHandle(self._post_accumulate_hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        from .engine import backward
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)  # as torch: 1.0 is not iterable

    def detach(self) -> "Tensor":
        t = wrap(self._data)
        t._vc = self._share_vc()
        return t

    def detach_(self) -> "Tensor":
        if self._is_view():
            raise RuntimeError(_DETACH_VIEW)
        self.grad_fn = None
        self._requires_grad = False
        return self

    def _share_vc(self):
        vc = self._vc
        if vc is None:
            vc = self._vc = [0]
        return vc

    @property
    def data(self) -> "Tensor":
        # shares memory, but writes through it are invisible to autograd (own version counter)
        return wrap(self._data)

    @data.setter
    def data(self, value: "Tensor") -> None:
        self._data = value._data

    @property
    def _version(self) -> int:
        return self._vc[0] if self._vc is not None else 0

    _base = None  # a view's base (ops/views.py: View)

    def _is_view(self) -> bool:
        return False

    # -- metadata ---------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        if not self._data.ndim:
            raise IndexError(f"Dimension specified as {operator.index(dim)} but tensor has no dimensions")
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    @property
    def dtype(self):
        return dtypes.BY_NUMPY[self._data.dtype]

    @property
    def device(self):
        return _CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_cpu(self) -> bool:
        return True

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        raise AssertionError("Torch not compiled with CUDA enabled")

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def element_size(self) -> int:
        return self._data.itemsize

    def type(self, dtype=None):
        if dtype is None:
            return _LEGACY_NAMES[self._data.dtype.name]
        if isinstance(dtype, str):
            names = {v: k for k, v in _LEGACY_NAMES.items()}
            if dtype not in names:
                raise ValueError(f"invalid type: '{dtype}'")
            from . import dtypes
            dtype = getattr(dtypes, names[dtype].replace("bool", "bool_"))
        dtype = getattr(dtype, "legacy_dtype", dtype)
        from .ops.elementwise import to_dtype
        return to_dtype(self, dtype)

    # -- conversion to Python -----------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. "
                               "Use tensor.detach().numpy() instead.")
        return self._data

    def __float__(self) -> float:
        return float(self._scalar("float"))

    def __int__(self) -> int:
        return int(self._scalar("int"))

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._scalar("int"))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous" if self._data.size == 0
                               else "Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()).item())

    def _scalar(self, kind):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        from .ops.shape import unbind
        return iter(unbind(self, 0))

    def __hash__(self) -> int:
        return id(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0 and not self._requires_grad:
            return format(self.item(), spec)
        if spec:
            if self._data.ndim == 0:
                return format(self.item(), spec)
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return str(self)

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    # -- printing ---------------------------------------------------------------------------
    def __repr__(self) -> str:
        from .printing import format_tensor
        suffixes = []
        try:
            name = type(self.grad_fn).__name__ if self.grad_fn is not None else None
        except RuntimeError:  # a view whose history may not be rebuilt: torch prints it so
            name = "Invalid"
        if name is not None:
            suffixes.append(f"grad_fn=<{name}>")
        elif self._requires_grad:
            suffixes.append("requires_grad=True")
        text = format_tensor(self._data, dtype_name=dtypes.BY_NUMPY[self._data.dtype].name,
                             suffixes=suffixes, default_float=dtypes.defaults.float.name)
        if self._is_param:
            return "Parameter containing:\n" + text
        return text

    __str__ = __repr__


_DEVICE_TYPES = ("cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, "
                 "mps, meta, hpu, mtia, privateuseone")


class _Device:
    """torch.device: a (type, index) pair; only cpu tensors exist, but tutorials build
    torch.device("cuda" if torch.cuda.is_available() else "cpu")."""

    __slots__ = ("type", "index")

    def __init__(self, type="cpu", index=None):
        if isinstance(type, _Device):
            type, index = str(type), None
        if isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        if not isinstance(type, str):
            raise TypeError(f"device(): argument 'type' (position 1) must be str, not {type.__class__.__name__}")
        name, colon, number = type.partition(":")
        if colon:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(number)
        if name not in _DEVICE_TYPES.split(", "):
            raise RuntimeError(f"Expected one of {_DEVICE_TYPES} device type at start of device string: {type}")
        self.type, self.index = name, index

    def __repr__(self):
        return f"device(type='{self.type}')" if self.index is None else f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return isinstance(other, _Device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


_CPU = _Device()
_LEGACY_NAMES = {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
                 "int64": "torch.LongTensor", "int32": "torch.IntTensor",
                 "bool": "torch.BoolTensor", "float16": "torch.HalfTensor",
                 "int16": "torch.ShortTensor", "int8": "torch.CharTensor",
                 "uint8": "torch.ByteTensor"}


def _wrap_dim(dim: int, ndim: int) -> int:
    if dim.__class__ is float:  # torch's parser refuses it (a 0-d tensor's dim 0.5 wrapped to 0.5)
        raise TypeError("dim must be an int")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


_new = object.__new__


def wrap(array: np.ndarray) -> Tensor:
    """A Tensor around ``array`` (no copy), not requiring grad."""
    t = _new(Tensor)
    t._data = array
    t._requires_grad = False
    t.grad_fn = None
    return t


registry.bind_tensor(Tensor, wrap)


class Parameter(Tensor):
    """torch.nn.Parameter: a leaf that requires grad by default."""

    __slots__ = ()
    _is_param = True

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            arr = np.zeros((0,), dtype=dtypes.defaults.float.np)
        elif isinstance(data, Tensor):
            arr = data._data
        else:  # torch's Parameter calls data.detach() first
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        t = _new(cls)
        t._data = arr
        t._requires_grad = False
        t.grad_fn = None
        t.requires_grad_(requires_grad)
        return t
