"""PyTorch's Python signatures, as its argument parser prints them in error messages.

Data for interp/arguments.py, read only when a call into the engine has failed, to say
what PyTorch would have said about the call's arguments. Observed from PyTorch 2.13.

One entry per line (continued on indented lines): ``names: signature``, in torch's words.
``(a) | (b)``: overloads, listed in this order in an "invalid combination" error;
``+ s``: one listed signature, with overloads torch does not list; ``-``: a Tensor method
that takes no arguments; ``~ s``: a torch.nn.functional function written in Python that
hands its arguments on to the parser (wrong types get the parser's words, wrong counts
Python's; a true ``inplace`` calls the ``_`` op); ``-> m``: one that calls ``input.m(dim)``. ``$options``: the tensor-factory keywords. A Tensor method not
in METHODS takes its function's signature without the leading ``Tensor input`` and ``out``.
"""

from __future__ import annotations

OPTIONS = {
    "$options_mf": "torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
                   "bool requires_grad = None, bool pin_memory = None, torch.memory_format memory_format = None",
    "$options": "torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
                "bool pin_memory = False, bool requires_grad = False",
}

# Functions whose Tensor arguments also take Python numbers (torch wraps them).
NUMBERS_AS_TENSORS = frozenset("add add_ sub sub_ mul mul_ copy_ div div_ divide divide_ multiply multiply_ subtract "
                               "subtract_ true_divide true_divide_ floor_divide floor_divide_".split())

# Lists of ints that also take a single int (torch's int[1]): reductions' ``dim``, roll's.
# Any other list of ints, when it is the only positional parameter, takes its ints as
# separate arguments instead: ``zeros(2, 3)``, ``x.permute(1, 0)``, ``x.squeeze(0, 1)``.
def takes_one_int(op: str, param: str) -> bool:
    return (param == "dim" and op != "squeeze") or (op == "roll" and param in ("shifts", "dims"))

FUNCTIONS = """
abs absolute acos arccos arcsin arctan asin atan bitwise_not ceil cos cosh erf erfc exp exp2 expm1
fix floor frac isneginf isposinf log log10 log1p log2 logical_not neg reciprocal rsqrt sgn sigmoid
sign signbit sin sinh sqrt square tan tanh trunc acosh arccosh arcsinh arctanh asinh atanh negative:
    Tensor input, *, Tensor out = None
add sub: + Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None
adjoint fliplr flipud isfinite isinf isnan isreal numel positive relu relu_ selu selu_ square_ t
trace:
    Tensor input
all any:
    (Tensor input, *, Tensor out = None)
    | (Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)
    | (Tensor input, int dim, bool keepdim = False, *, Tensor out = None)
allclose isclose:
    Tensor input, Tensor other, float rtol = 1e-05, float atol = 1e-08, bool equal_nan = False
amax amin: Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None
aminmax: Tensor input, *, int dim = None, bool keepdim = False, tuple of Tensors out = None
arange:
    (Number end, *, Tensor out = None, $options)
    | (Number start, Number end, *, $options)
    | (Number start, Number end, Number step = 1, *, Tensor out = None, $options)
argmax argmin: Tensor input, int dim = None, bool keepdim = False, *, Tensor out = None
argsort:
    (Tensor input, *, bool stable, int dim = -1, bool descending = False, Tensor out = None)
    | (Tensor input, int dim = -1, bool descending = False)
bernoulli:
    (Tensor input, *, torch.Generator generator = None, Tensor out = None)
    | (Tensor input, float p, *, torch.Generator generator = None)
bitwise_and bitwise_or bitwise_xor remainder:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Number self, Tensor other)
    | (Tensor input, Number other, *, Tensor out = None)
bmm mm:
    (Tensor input, Tensor mat2, *, Tensor out = None)
    | (Tensor input, Tensor mat2, torch.dtype out_dtype, *, Tensor out = None)
cat concat concatenate stack: tuple of Tensors tensors, int dim = 0, *, Tensor out = None
celu: Tensor input, Number alpha = 1.0
celu_: Tensor input, Number alpha = 1.0
chunk: Tensor input, int chunks, int dim = 0
clamp clip:
    (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)
    | (Tensor input, Number min = None, Number max = None, *, Tensor out = None)
clamp_ clip_:
    (Tensor input, Tensor min = None, Tensor max = None)
    | (Tensor input, Number min = None, Number max = None)
clamp_max:
    (Tensor input, Tensor max, *, Tensor out = None)
    | (Tensor input, Number max, *, Tensor out = None)
clamp_min:
    (Tensor input, Tensor min, *, Tensor out = None)
    | (Tensor input, Number min, *, Tensor out = None)
clone: Tensor input, *, torch.memory_format memory_format = None
count_nonzero:
    (Tensor input, int dim = None)
    | (Tensor input, tuple of ints dim)
cumprod cumsum: Tensor input, int dim, *, torch.dtype dtype = None, Tensor out = None
diag tril triu: Tensor input, int diagonal = 0, *, Tensor out = None
diagonal: Tensor input, int offset = 0, int dim1 = 0, int dim2 = 1
div:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor input, Tensor other, *, str rounding_mode, Tensor out = None)
    | (Tensor input, Number other, *, str rounding_mode)
divide:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor input, Tensor other, *, str rounding_mode, Tensor out = None)
    | (Tensor input, Number other)
    | (Tensor input, Number other, *, str rounding_mode)
dot: Tensor input, Tensor tensor, *, Tensor out = None
empty: tuple of ints size, *, Tensor out = None, $options_mf
empty_like ones_like zeros_like: Tensor input, *, $options_mf
empty_strided: tuple of ints size, tuple of ints stride, *, $options_mf
eq ge greater greater_equal gt le less less_equal lt ne not_equal:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor input, Number other, *, Tensor out = None)
equal: Tensor input, Tensor other
eye:
    (int n, *, Tensor out = None, $options)
    | (int n, int m, *, Tensor out = None, $options)
flatten: Tensor input, int start_dim = 0, int end_dim = -1
flip permute: Tensor input, tuple of ints dims
floor_divide:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor input, Number other)
fmax fmin inner logical_and logical_or logical_xor matmul maximum minimum mul vdot:
    Tensor input, Tensor other, *, Tensor out = None
full: tuple of ints size, Number fill_value, *, Tensor out = None, $options_mf
full_like: Tensor input, Number fill_value, *, $options_mf
gather: Tensor input, int dim, Tensor index, *, bool sparse_grad = False, Tensor out = None
ger outer: Tensor input, Tensor vec2, *, Tensor out = None
get_default_dtype is_grad_enabled: -
heaviside: Tensor input, Tensor values, *, Tensor out = None
hstack vstack: tuple of Tensors tensors, *, Tensor out = None
index_select: Tensor input, int dim, Tensor index, *, Tensor out = None
lerp:
    (Tensor input, Tensor end, Tensor weight, *, Tensor out = None)
    | (Tensor input, Tensor end, Number weight, *, Tensor out = None)
linspace:
    (Tensor start, Tensor end, int steps, *, Tensor out = None, $options)
    | (Number start, Tensor end, int steps, *, Tensor out = None, $options)
    | (Tensor start, Number end, int steps, *, Tensor out = None, $options)
    | (Number start, Number end, int steps, *, Tensor out = None, $options)
log_softmax softmax: Tensor input, int dim, torch.dtype dtype = None, *, Tensor out = None
logit: Tensor input, float eps = None, *, Tensor out = None
logspace:
    (Tensor start, Tensor end, int steps, float base = 10.0, *, Tensor out = None, $options)
    | (Number start, Tensor end, int steps, float base = 10.0, *, Tensor out = None, $options)
    | (Tensor start, Number end, int steps, float base = 10.0, *, Tensor out = None, $options)
    | (Number start, Number end, int steps, float base = 10.0, *, Tensor out = None, $options)
logsumexp: Tensor input, tuple of ints dim, bool keepdim = False, *, Tensor out = None
masked_fill:
    (Tensor input, Tensor mask, Tensor value)
    | (Tensor input, Tensor mask, Number value)
max min:
    (Tensor input, *, Tensor out = None)
    | (Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)
mean:
    (Tensor input, *, torch.dtype dtype = None, Tensor out = None)
    | (Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor
    out = None)
median:
    (Tensor input)
    | (Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)
moveaxis movedim:
    (Tensor input, int source, int destination)
    | (Tensor input, tuple of ints source, tuple of ints destination)
multiply:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor input, Number other)
multinomial:
    Tensor input, int num_samples, bool replacement = False, *, torch.Generator generator = None,
    Tensor out = None
mv: Tensor input, Tensor vec, *, Tensor out = None
nan_to_num:
    Tensor input, float nan = None, float posinf = None, float neginf = None, *, Tensor out = None
narrow:
    (Tensor input, int dim, Tensor start, int length)
    | (Tensor input, int dim, int start, int length)
nonzero: Tensor input, *, Tensor out = None, bool as_tuple = False
normal:
    (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)
    | (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)
    | (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)
    | (float mean, float std, tuple of ints size, *, torch.Generator generator = None, Tensor out =
    None, $options)
ones zeros: tuple of ints size, *, Tensor out = None, $options_mf
pow:
    (Tensor input, Tensor exponent, *, Tensor out = None)
    | (Number self, Tensor exponent, *, Tensor out = None)
    | (Tensor input, Number exponent, *, Tensor out = None)
prod:
    (Tensor input, *, torch.dtype dtype = None)
    | (Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out = None)
promote_types: torch.dtype type1, torch.dtype type2
rand randn:
    (tuple of ints size, *, torch.Generator generator, Tensor out = None, $options)
    | (tuple of ints size, *, Tensor out = None, $options)
rand_like randn_like:
    (Tensor input, *, torch.Generator generator, torch.memory_format memory_format = None, $options)
    | (Tensor input, *, torch.memory_format memory_format = None, $options)
randint:
    (int high, tuple of ints size, *, torch.Generator generator, Tensor out = None, $options)
    | (int high, tuple of ints size, *, Tensor out = None, $options)
    | (int low, int high, tuple of ints size, *, torch.Generator generator, Tensor out = None,
    $options)
    | (int low, int high, tuple of ints size, *, Tensor out = None, $options)
randint_like:
    (Tensor input, int low, int high, *, torch.Generator generator, torch.memory_format
    memory_format = None, $options)
    | (Tensor input, int low, int high, *, torch.memory_format memory_format = None, $options)
    | (Tensor input, Tensor high, *, torch.Generator generator, torch.memory_format memory_format =
    None, $options)
    | (Tensor input, Tensor high, *, torch.memory_format memory_format = None, $options)
    | (Tensor input, int high, *, torch.Generator generator, torch.memory_format memory_format =
    None, $options)
    | (Tensor input, int high, *, torch.memory_format memory_format = None, $options)
randperm:
    (int n, *, torch.Generator generator, Tensor out = None, $options)
    | (int n, *, Tensor out = None, $options)
range:
    Number start, Number end, Number step = 1, *, Tensor out = None, torch.dtype dtype = None,
    torch.layout layout = torch.strided, torch.device device = None, bool requires_grad = False
reshape: Tensor input, tuple of ints shape
roll: Tensor input, tuple of ints shifts, tuple of ints dims = None
round:
    (Tensor input, *, Tensor out = None)
    | (Tensor input, *, int decimals, Tensor out = None)
rsub:
    (Tensor input, Tensor other, *, Number alpha = 1)
    | (Tensor input, Number other, Number alpha = 1)
scalar_tensor:
    Number s, *, torch.dtype dtype = None, bool requires_grad = None, torch.device device = None,
    torch.layout layout = None, bool pin_memory = None
select: Tensor input, int dim, int index
sort:
    (Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple of Tensors out =
    None)
    | (Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors out = None)
squeeze:
    (Tensor input)
    | (Tensor input, int dim)
    | (Tensor input, tuple of ints dim)
std var:
    (Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, Tensor out =
    None)
    | (Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False,
    Tensor out = None)
    | (Tensor input, bool unbiased = True)
std_mean var_mean:
    (Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)
    | (Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = False)
    | (Tensor input, bool unbiased = True)
subtract:
    (Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)
    | (Tensor input, Number other, Number alpha = 1)
sum:
    (Tensor input, *, torch.dtype dtype = None)
    | (Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor
    out = None)
swapaxes: Tensor input, int axis0, int axis1
swapdims transpose: Tensor input, int dim0, int dim1
threshold: Tensor input, Number threshold, Number value, *, Tensor out = None
threshold_: Tensor input, Number threshold, Number value
topk:
    Tensor input, int k, int dim = -1, bool largest = True, bool sorted = True, *, tuple of Tensors
    out = None
split_with_sizes: Tensor input, tuple of ints split_sizes, int dim = 0
unbind: Tensor input, int dim = 0
unflatten: Tensor input, int dim, tuple of ints sizes
unsqueeze: Tensor input, int dim
where:
    (Tensor condition)
    | (Tensor condition, Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor condition, Number self, Tensor other)
    | (Tensor condition, Tensor input, Number other)
    | (Tensor condition, Number self, Number other)
xlogy:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Number self, Tensor other, *, Tensor out = None)
    | (Tensor input, Number other, *, Tensor out = None)
arctan2 atan2 hypot logaddexp logaddexp2: Tensor input, Tensor other, *, Tensor out = None
copysign fmod:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor input, Number other, *, Tensor out = None)
cross: Tensor input, Tensor other, int dim = None, *, Tensor out = None
kron: Tensor input, Tensor other, *, Tensor out = None
msort: Tensor input, *, Tensor out = None
scatter:
    (Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None)
    | (Tensor input, int dim, Tensor index, Tensor src, *, str reduce, Tensor out = None)
    | (Tensor input, int dim, Tensor index, Number value, *, Tensor out = None)
    | (Tensor input, int dim, Tensor index, Number value, *, str reduce, Tensor out = None)
scatter_add: Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None
masked_select: Tensor input, Tensor mask, *, Tensor out = None
take_along_dim: Tensor input, Tensor indices, int dim = None, *, Tensor out = None
broadcast_to: Tensor input, tuple of ints size
addcdiv addcmul: + Tensor input, Tensor tensor1, Tensor tensor2, *, Number value = 1, Tensor out = None
deg2rad rad2deg: Tensor input, *, Tensor out = None
det: Tensor input
addmm:
    (Tensor input, Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1, Tensor out = None)
    | (Tensor input, Tensor mat1, Tensor mat2, torch.dtype out_dtype, *, Number beta = 1, Number alpha = 1,
    Tensor out = None)
dist: Tensor input, Tensor other, Number p = 2
float_power:
    (Tensor input, Tensor exponent, *, Tensor out = None)
    | (Number self, Tensor exponent, *, Tensor out = None)
    | (Tensor input, Number exponent, *, Tensor out = None)
column_stack dstack row_stack: tuple of Tensors tensors, *, Tensor out = None
dsplit hsplit vsplit:
    (Tensor input, int sections)
    | (Tensor input, tuple of ints indices)
rot90: Tensor input, int k = 1, tuple of ints dims = [0,1]
tensor_split:
    (Tensor input, tuple of ints indices, int dim = 0)
    | (Tensor input, Tensor tensor_indices_or_sections, int dim = 0)
    | (Tensor input, int sections, int dim = 0)
bincount: Tensor input, Tensor weights = None, int minlength = 0
histc: Tensor input, int bins = 100, Number min = 0, Number max = 0, *, Tensor out = None
searchsorted:
    (Tensor sorted_sequence, Tensor input, *, bool out_int32 = False, bool right = False, str side = None,
    Tensor sorter = None, Tensor out = None)
    | (Tensor sorted_sequence, Number self, *, bool out_int32 = False, bool right = False, str side = None,
    Tensor sorter = None, Tensor out = None)
bucketize:
    (Tensor input, Tensor boundaries, *, bool out_int32 = False, bool right = False, Tensor out = None)
    | (Number self, Tensor boundaries, *, bool out_int32 = False, bool right = False)
index_add: Tensor input, int dim, Tensor index, Tensor source, *, Number alpha = 1, Tensor out = None
index_copy: Tensor input, int dim, Tensor index, Tensor source, *, Tensor out = None
index_fill:
    (Tensor input, int dim, Tensor index, Tensor value)
    | (Tensor input, int dim, Tensor index, Number value)
cummax cummin: Tensor input, int dim, *, tuple of Tensors out = None
logcumsumexp: Tensor input, int dim, *, Tensor out = None
repeat_interleave:
    (Tensor input, Tensor repeats, int dim = None, *, int output_size = None)
    | (Tensor repeats, *, int output_size = None)
    | (Tensor input, int repeats, int dim = None, *, int output_size = None)
inverse: Tensor input, *, Tensor out = None
true_divide:
    (Tensor input, Tensor other, *, Tensor out = None)
    | (Tensor input, Number other)
nanmean nansum:
    Tensor input, tuple of ints dim = None, bool keepdim = False, *, torch.dtype dtype = None, Tensor out =
    None
diff:
    Tensor input, int n = 1, int dim = -1, Tensor prepend = None, Tensor append = None, *, Tensor out =
    None
"""

NN = """
celu elu: ~ Tensor input, Number alpha = 1.0, object inplace = False
elu_: Tensor input, Number alpha = 1, Number scale = 1, Number input_scale = 1
celu_: Tensor input, Number alpha = 1.0
selu_: Tensor input
hardsigmoid hardswish mish relu relu6 selu silu: ~ Tensor input, object inplace = False
leaky_relu: ~ Tensor input, Number negative_slope = 0.01, object inplace = False
threshold: ~ Tensor input, Number threshold, Number value, object inplace = False
softmax softmin: -> softmax
log_softmax: -> log_softmax
bilinear: Tensor input1, Tensor input2, Tensor weight, Tensor bias = None
cosine_similarity: Tensor x1, Tensor x2, int dim = 1, float eps = 1e-8
gelu: Tensor input, *, str approximate = 'none', Tensor out = None
hardtanh: ~ Tensor input, object min_val = -1.0, object max_val = 1.0, object inplace = False
nll_loss:
    ~ Tensor input, Tensor target, Tensor weight = None, object size_average = None, object ignore_index = -100,
    object reduce = None, object reduction = 'mean'
cross_entropy:
    ~ Tensor input, Tensor target, Tensor weight = None, object size_average = None, object ignore_index = -100,
    object reduce = None, object reduction = 'mean', object label_smoothing = 0.0
hardtanh_: Tensor input, Number min_val = -1.0, Number max_val = 1.0
leaky_relu_: Tensor input, Number negative_slope = 0.01
linear: Tensor input, Tensor weight, Tensor bias = None, *, Tensor out = None
logsigmoid: Tensor input, *, Tensor out = None
one_hot: Tensor input, int num_classes = -1
relu_: Tensor input
softplus: Tensor input, Number beta = 1, Number threshold = 20, *, Tensor out = None
threshold_: Tensor input, Number threshold, Number value
"""

METHODS = """
abs_ acos_ asin_ atan_ ceil_ cos_ cosh_ detach detach_ dim element_size erf_ erfc_ exp2_ exp_
expm1_ fix_ floor_ frac_ is_floating_point item log10_ log1p_ log2_ log_ logical_not_ ndimension
neg_ negative nelement reciprocal_ retain_grad rsqrt_ sgn_ sigmoid_ sign_ sin_ sinh_ sqrt_ t_ tan_
tanh_ tolist trunc_ zero_ acosh_ arccosh_ arcsinh_ arctanh_ asinh_ atanh_:
    -
add_ sub_: + Tensor other, *, Number alpha = 1
bernoulli_:
    (Tensor p, *, torch.Generator generator = None)
    | (float p = 0.5, *, torch.Generator generator = None)
arctan2_ atan2_ hypot_: Tensor other
addcdiv_ addcmul_: + Tensor tensor1, Tensor tensor2, *, Number value = 1
deg2rad_ rad2deg_: -
det inverse: -
addmm addmm_: + Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1
float_power float_power_:
    (Tensor exponent)
    | (Number exponent)
index_add_: int dim, Tensor index, Tensor source, *, Number alpha = 1
index_copy_: int dim, Tensor index, Tensor source
index_fill_:
    (int dim, Tensor index, Tensor value)
    | (int dim, Tensor index, Number value)
repeat_interleave:
    (Tensor repeats, int dim = None, *, int output_size = None)
    | (int repeats, int dim = None, *, int output_size = None)
scatter_:
    (int dim, Tensor index, Tensor src)
    | (int dim, Tensor index, Tensor src, *, str reduce)
    | (int dim, Tensor index, Number value)
    | (int dim, Tensor index, Number value, *, str reduce)
scatter_add_: int dim, Tensor index, Tensor src
bitwise_and bitwise_or bitwise_xor copysign_ eq_ floor_divide_ fmod_ ge_ gt_ le_ lt_ multiply ne_ remainder
remainder_ true_divide xlogy xlogy_:
    (Tensor other)
    | (Number other)
bmm mm: Tensor mat2
bool byte char cpu double float half int long short: *, torch.memory_format memory_format = None
clamp_max_:
    (Tensor max)
    | (Number max)
clamp_min_:
    (Tensor min)
    | (Number min)
contiguous is_contiguous: *, torch.memory_format memory_format = torch.contiguous_format
copy_: + Tensor other, bool non_blocking = False
cuda: torch.device device = None, bool non_blocking = False, *, torch.memory_format memory_format = None
cumprod_ cumsum_: int dim, *, torch.dtype dtype = None
div_:
    (Tensor other)
    | (Tensor other, *, str rounding_mode)
    | (Number other, *, str rounding_mode)
divide:
    (Tensor other)
    | (Tensor other, *, str rounding_mode)
    | (Number other)
    | (Number other, *, str rounding_mode)
expand: tuple of ints size
expand_as logical_and_ logical_or_ logical_xor_ mul_ reshape_as type_as view_as: Tensor other
exponential_: float lambd = 1, *, torch.Generator generator = None
fill_:
    (Tensor value)
    | (Number value)
heaviside_: Tensor values
lerp_:
    (Tensor end, Tensor weight)
    | (Tensor end, Number weight)
logit_: float eps = None
masked_fill_:
    (Tensor mask, Tensor value)
    | (Tensor mask, Number value)
nan_to_num_: float nan = None, float posinf = None, float neginf = None
new_empty new_ones new_zeros:
    tuple of ints size, *, torch.dtype dtype = None, torch.device device = None, bool requires_grad
    = None, torch.layout layout = None, bool pin_memory = None
new_full:
    tuple of ints size, Number fill_value, *, torch.dtype dtype = None, torch.device device = None,
    bool requires_grad = None, torch.layout layout = None, bool pin_memory = None
nonzero:
    ()
    | (*, bool as_tuple)
normal_: float mean = 0, float std = 1, *, torch.Generator generator = None
numpy: *, bool force = False
pow pow_:
    (Tensor exponent)
    | (Number exponent)
random_:
    (*, torch.Generator generator = None)
    | (int from, int to, *, torch.Generator generator = None)
    | (int to, *, torch.Generator generator = None)
repeat: tuple of ints repeats
requires_grad_: bool requires_grad = True
round_:
    ()
    | (*, int decimals)
size stride: int dim = None
squeeze_:
    ()
    | (int dim)
    | (tuple of ints dim)
subtract:
    (Tensor other, *, Number alpha = 1)
    | (Number other, Number alpha = 1)
swapaxes_: int axis0, int axis1
swapdims_ transpose_: int dim0, int dim1
to:
    (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, bool copy =
    False, *, torch.memory_format memory_format = None)
    | (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, torch.memory_format
    memory_format = None)
    | (Tensor tensor, bool non_blocking = False, bool copy = False, *, torch.memory_format
    memory_format = None)
type: + object dtype = None, bool non_blocking = False, *, torch.memory_format memory_format = None
uniform_: float from = 0, float to = 1, *, torch.Generator generator = None
unsqueeze_: int dim
view:
    (torch.dtype dtype)
    | (tuple of ints size)
where:
    (Tensor condition, Tensor other)
    | (Tensor condition, Number other)
"""
