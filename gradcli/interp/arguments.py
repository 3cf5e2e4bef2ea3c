"""What PyTorch's argument parser would say about a call that failed in the engine.

PyTorch checks a call's arguments against the op's signatures before it computes anything,
so a wrong argument ends with the parser's TypeError, not with whatever the computation
would have run into. gradcli's engine ops take Python arguments as they come; when one
fails, the call site asks ``parser_error`` whether torch would have refused the arguments,
and if so raises that message instead (never on the fast path of a call that works).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from gradcli.interp import signatures

_TORCH_NAMES = {"Size": "torch.Size", "dtype": "torch.dtype", "Generator": "torch._C.Generator",
                "device": "torch.device", "layout": "torch.layout", "memory_format": "torch.memory_format"}
_UNCHECKED = {"torch.Generator", "torch.device", "torch.layout", "torch.memory_format", "object"}


def type_name(value) -> str:
    """The name torch's messages give the type of ``value``."""
    cls = type(value)
    if cls.__module__.startswith("gradcli.") or cls.__module__ == "torch":
        if cls.__name__ in _TORCH_NAMES:
            return _TORCH_NAMES[cls.__name__]
        if cls.__module__.endswith("return_types"):
            return f"torch.return_types.{cls.__name__}"
    return cls.__name__


def parser_error(kind: str, name: str, args, kwargs: dict) -> str | None:
    """torch's TypeError message for calling ``name`` (a ``torch``/``nn`` function or a Tensor
    ``method``) with these arguments (a method's without the tensor itself); None if torch's
    parser would accept them or does not know the op."""
    entry = lookup(kind, name)
    if entry is None:
        return None
    name = _SHOWN.get((kind, name), name)
    if entry.no_arguments:
        owner = "TensorBase" if kind == "method" else "torch"
        if kwargs:
            return f"{owner}.{name}() takes no keyword arguments"
        return f"{owner}.{name}() takes no arguments ({len(args)} given)" if args else None
    if entry.delegate:  # F.softmax(x, dim) is x.softmax(dim): torch parses that call
        dim = args[1] if len(args) > 1 else kwargs.get("dim")
        if not args or not _is_tensor(args[0]) or dim is None:
            return None
        if name == "softmin" and str(args[0].dtype) == "torch.bool":
            return None  # F.softmin negates its input before the parser sees dim: -bool's error stands
        return parser_error("method", entry.delegate, (dim,), {})
    if entry.types_only:  # Python's own words for counts and keywords; the parser's for types
        return _types_only(name, entry.signatures[0], tuple(args), kwargs)
    call = _Call(name, tuple(args), kwargs)
    errors = []
    for s in entry.signatures:  # torch takes the first overload that fits, in this order
        error = call.error(s)
        if error is None:
            return call.conversion_error(s)
        errors.append(error)
    if len(errors) == 1 and not entry.hidden:
        return errors[0]
    n = len(args) + len(kwargs)
    plausible = [e for s, e in zip(entry.signatures, errors) if s.min_args <= n <= len(s.params)]
    if len(plausible) == 1:  # one overload takes this many arguments: say what is wrong with them
        return plausible[0]
    got = [type_name(a) for a in args] + [f"{k}={type_name(v)}" for k, v in reversed(kwargs.items())]
    text = ", ".join(got) + (", " if kwargs and not args else "")
    head = f"{name}() received an invalid combination of arguments - got ({text}), but expected"
    if entry.hidden:
        return f"{head} ({entry.signatures[0].text})"
    return head + " one of:\n" + "".join(f" * ({s.text})\n" for s in entry.signatures)


# ops whose C++ name (the one torch's messages give) differs from the Python one
_SHOWN = {("nn", "logsigmoid"): "log_sigmoid", ("nn", "cross_entropy"): "cross_entropy_loss",
          ("nn", "nll_loss"): "nll_loss_nd"}


def _types_only(name: str, s: Signature, args: tuple, kwargs: dict) -> str | None:
    if len(args) > len(s.positional) or any(k not in {p.name for p in s.params} for k in kwargs):
        return None
    if any(p.name in kwargs for p in s.positional[:len(args)]):  # Python's "multiple values"
        return None
    given = {p.name for p in s.positional[:len(args)]} | set(kwargs)
    if any(p.default is None and p.name not in given for p in s.params):  # Python's "missing"
        return None
    bound = {**dict(zip((p.name for p in s.positional), args)), **kwargs}
    if bound.get("inplace"):
        name += "_"
    ordered = []  # torch's Python function passes its arguments on by position
    for p in s.params:
        if p.name not in bound:
            break
        ordered.append(bound[p.name])
    error = _Call(name, tuple(ordered), {}).error(s)
    return error if error is not None and error.startswith(f"{name}(): argument") else None


# numpy's argument names, which torch takes for its own
_ALIASES = {"input": ("x", "a", "x1"), "other": ("x2",), "dim": ("axis",), "keepdim": ("keepdims",)}


class _Call:
    """One call's arguments, bound to one signature after another as torch's parser does."""

    def __init__(self, name: str, args: tuple, kwargs: dict):
        self.name, self.args, self.kwargs = name, args, kwargs
        self.numbers_as_tensors = name in signatures.NUMBERS_AS_TENSORS

    def bind(self, s: Signature):
        """(error, [(param, value, position)]): the values each parameter gets."""
        name, args, kwargs = self.name, self.args, self.kwargs
        positional = s.positional
        varargs = (len(positional) == 1 and positional[0].type == "tuple of ints" and args
                   and not signatures.takes_one_int(name, positional[0].name) and _is_index(args[0]))
        if len(args) > len(positional) and not varargs:
            return _too_many(name, s, len(args)), []
        bound, used = [], set()
        for i, p in enumerate(s.params):
            if not p.keyword_only and i < len(args):
                bound.append((p, args if varargs else args[i], None if varargs else i + 1))
                continue
            key = next((k for k in (p.name, *_ALIASES.get(p.name, ())) if k in kwargs), None)
            if key is not None:
                used.add(key)
                bound.append((p, kwargs[key], None))
            elif p.default is None:
                missing = [q.name for q in s.params[i:] if q.default is None and q.name not in kwargs]
                word = "arguments" if len(missing) == 1 else "argument"  # as torch words it
                return (f"{name}() missing {len(missing)} required positional {word}: "
                        + ", ".join(f'"{m}"' for m in missing)), bound
        for key in kwargs:
            if key not in used:
                if any(p.name == key and not p.keyword_only for p in positional[:len(args)]):
                    return f"{name}() got multiple values for argument '{key}'", bound
                return f"{name}() got an unexpected keyword argument '{key}'", bound
        return None, bound

    def error(self, s: Signature) -> str | None:
        """What torch's parser finds wrong with the call for signature ``s``, in its order."""
        error, bound = self.bind(s)
        for p, value, position in bound:
            if value is None and p.default == "None":
                continue
            problem = self.check(p, value, position)
            if problem is not None:
                return problem
        return error

    def conversion_error(self, s: Signature) -> str | None:
        """Lists of ints are checked by their first element, then read whole once ``s`` is chosen."""
        for p, value, position in self.bind(s)[1]:
            if p.type == "tuple of ints" and isinstance(value, (list, tuple)):
                for j, element in enumerate(value[1:], 2):
                    if not _int_like(element):
                        return (f"{self.name}(): argument '{p.name}' failed to unpack the object at pos {j} "
                                f"with error \"type must be tuple of ints,but got {type_name(element)}\"")
        return None

    def check(self, p: Param, value, position: int | None) -> str | None:
        where = f" (position {position})" if position is not None else ""
        wrong = f"{self.name}(): argument '{p.name}'{where} must be {p.type}"
        if p.type == "tuple of ints":
            if isinstance(value, (list, tuple)):
                if not value or (_int_like(value[0]) and type(value[0]) is not bool):
                    return None
                return f"{wrong}, but found element of type {type_name(value[0])} at pos 0"
            if (_is_tensor(value) and value.numel() == 1 and not value.dtype.is_floating_point
                    and signatures.takes_one_int(self.name, p.name)):
                return None  # a one-element integer (or bool) tensor is read as one int (int[1] only)
            if _is_index(value) and signatures.takes_one_int(self.name, p.name):
                return None
            return f"{wrong}, not {type_name(value)}"
        if p.type == "tuple of Tensors":
            if not isinstance(value, (list, tuple)):
                return f"{wrong}, not {type_name(value)}"
            for j, element in enumerate(value):
                if not _is_tensor(element):
                    index = (position or 1) - 1
                    return f"expected Tensor as element {j} in argument {index}, but got {type_name(element)}"
            return None
        if p.type in _UNCHECKED or _fits(p.type, value, self.numbers_as_tensors):
            return None
        return f"{wrong}, not {type_name(value)}"


def _too_many(name: str, s: Signature, given: int) -> str:
    n, least = len(s.positional), s.min_args
    if least != n:  # torch counts required keyword-only arguments in the lower bound too
        return f"{name}() takes from {least} to {n} positional arguments but {given} were given"
    return (f"{name}() takes {n} positional argument{'' if n == 1 else 's'} but {given} "
            f"{'was' if given == 1 else 'were'} given")


def _is_index(value) -> bool:
    """What torch reads as one index: an int (not a bool) or a one-element integer tensor."""
    if _is_tensor(value):
        return value.numel() == 1 and not value.dtype.is_floating_point and value.dtype.name != "bool"
    return isinstance(value, int) and type(value) is not bool


def _int_like(value) -> bool:
    if _is_tensor(value):
        return value.numel() == 1 and not value.dtype.is_floating_point
    return isinstance(value, int)  # True counts as 1 in a list of ints


# ------------------------------------------------------------- the table


@dataclass(frozen=True)
class Param:
    type: str
    name: str
    default: str | None  # None: required
    keyword_only: bool


@dataclass(frozen=True)
class Signature:
    text: str  # as torch lists it
    params: tuple[Param, ...]

    @property
    def positional(self) -> list[Param]:
        return [p for p in self.params if not p.keyword_only]

    @property
    def min_args(self) -> int:
        return sum(1 for p in self.params if p.default is None)


@dataclass(frozen=True)
class Entry:
    signatures: tuple[Signature, ...]
    hidden: bool = False  # torch has overloads it does not list
    no_arguments: bool = False  # a method that takes none
    types_only: bool = False  # a Python function of torch's: only its argument types are parsed
    delegate: str | None = None  # a Python function of torch's that calls this Tensor method with dim


def lookup(kind: str, name: str) -> Entry | None:
    """The entry for ``name`` called as a ``torch`` function, an ``nn`` (functional) function
    or a Tensor ``method``; None when PyTorch's parser does not see such a call."""
    table = _tables()
    if kind == "method":
        entry = table["method"].get(name)
        if entry is None:
            entry = _as_method(table["torch"].get(name))
        return entry
    return table[kind].get(name)


@cache
def _tables() -> dict[str, dict[str, Entry]]:
    return {"torch": _parse(signatures.FUNCTIONS), "nn": _parse(signatures.NN),
            "method": _parse(signatures.METHODS)}


def _parse(block: str) -> dict[str, Entry]:
    records, naming = [], False  # [names, signature]; naming: the names go on to the next line
    for line in block.strip().splitlines():
        if line[:1].isspace():
            records[-1][1] += " " + line.strip()
            continue
        head, colon, rest = line.partition(":")
        if naming:
            records[-1][0] += " " + head
        else:
            records.append([head, ""])
        records[-1][1] += rest
        naming = not colon
    entries = {}
    for names, text in records:
        entry = _entry(text.strip())
        for name in names.split():
            entries[name] = entry
    return entries


def _entry(text: str) -> Entry:
    if text == "-":
        return Entry((), no_arguments=True)
    if text.startswith("+ "):
        return Entry((_signature(text[2:]),), hidden=True)
    if text.startswith("~ "):
        return Entry((_signature(text[2:]),), types_only=True)
    if text.startswith("-> "):
        return Entry((), delegate=text[3:].strip())
    if text.startswith("("):
        return Entry(tuple(_signature(s.strip()[1:-1]) for s in text.split(" | ")))
    return Entry((_signature(text),))


def _signature(text: str) -> Signature:
    for macro, words in signatures.OPTIONS.items():  # the longer name first
        text = text.replace(macro, words)
    params, keyword_only = [], False
    for part in text.split(", ") if text else []:
        if part == "*":
            keyword_only = True
            continue
        declaration, _, default = part.partition(" = ")
        type_, name = declaration.rsplit(" ", 1)
        params.append(Param(type_, name, default or None, keyword_only))
    return Signature(text, tuple(params))


def _as_method(entry: Entry | None) -> Entry | None:
    """A function's entry as a Tensor method's: the tensor is ``input``, ``out`` goes."""
    if entry is None or entry.no_arguments:
        return None
    overloads = []
    for s in entry.signatures:
        if not s.params or s.params[0].name != "input" or s.params[0].type != "Tensor":
            return None
        params = tuple(p for p in s.params[1:] if p.name != "out")
        overloads.append(Signature(_text(params), params))
    if len(overloads) == 1 and not overloads[0].params and not entry.hidden:
        return Entry((), no_arguments=True)
    return Entry(tuple(overloads), hidden=entry.hidden)


def _text(params) -> str:
    parts, star = [], False
    for p in params:
        if p.keyword_only and not star:
            parts.append("*")
            star = True
        parts.append(f"{p.type} {p.name}" + (f" = {p.default}" if p.default is not None else ""))
    return ", ".join(parts)


# ----------------------------------------------------------- values


def _is_tensor(value) -> bool:
    from gradcli.autograd.tensor import Tensor
    return isinstance(value, Tensor)


def _fits(type_: str, value, numbers_as_tensors: bool) -> bool:
    number = isinstance(value, (int, float)) or type(value) is complex
    if type_ == "Tensor":
        return _is_tensor(value) or (numbers_as_tensors and number)
    if type_ in ("float", "Number"):
        if _is_tensor(value):
            return value.dim() == 0
        return number and (type_ == "Number" or type(value) is not complex)
    if type_ == "int":
        if _is_tensor(value):
            return value.dim() == 0 and not value.dtype.is_floating_point and value.dtype.name != "bool"
        return isinstance(value, int) and type(value) is not bool
    if type_ == "bool":
        return type(value) is bool
    if type_ == "torch.dtype":
        from gradcli.autograd.dtypes import dtype
        return isinstance(value, dtype)
    if type_ == "str":
        return isinstance(value, str)
    return True


def resolve(fn, site_name: str | None) -> tuple[str, str] | None:
    """(kind, name) of the engine op ``fn`` called as ``site_name`` (the name at the call site),
    or None when it is not one of torch's parsed functions or methods."""
    from gradcli.autograd.tensor import Tensor
    names = [n for n in (site_name, getattr(fn, "__name__", None)) if n]
    if isinstance(getattr(fn, "__self__", None), Tensor):
        return "method", names[0]
    if not (getattr(fn, "__module__", None) or "").startswith("gradcli.autograd"):
        return None
    torch_functions, nn_functions = _namespaces()
    for name in names:
        in_torch, in_nn = torch_functions.get(name) is fn, nn_functions.get(name) is fn
        if in_torch != in_nn:  # the same object in both: torch's two signatures differ, say nothing
            return ("torch" if in_torch else "nn"), name
    return None


_NAMESPACES: list = []


def _namespaces() -> tuple[dict, dict]:
    if not _NAMESPACES:
        from gradcli.autograd import namespace
        torch = namespace.build_torch_module()
        _NAMESPACES[:] = [dict(vars(torch)), namespace.public_attributes(torch.nn.functional)]
    return _NAMESPACES[0], _NAMESPACES[1]
