"""Python semantics of each construct, with CPython itself as the oracle.

Each program uses no torch; the test runs it under gradcli and under CPython's own
``exec`` (here in the tests only) and compares what is printed and the error raised.
"""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

from gradcli.errors import ProgramRuntimeError, SourceError
from gradcli.interp import run
from gradcli.interp.runtime import python_message
from gradcli.syntax import parse

PROGRAMS = {
    "break and continue in a block of a loop in a function": """
        def first_even(xs):
            for x in xs:
                if x % 2:
                    continue
                else:
                    break
            while True:
                if x:
                    break
            return x
        print(first_even([1, 3, 4, 5]))
    """,
    "numbers": """
        print(1/2, 2**10, 7//2, -7//2, 7 % 3, -7 % 3, 2**-1, 1e-3, .5, 1., 0x1f, 1_000)
        print(3 * 1.0, 10 / 5, True + True, 2 ** 0.5, abs(-3), round(2.675, 2), round(3.5))
        print(int("12"), float("1.5"), bool(0), str(12) + "x", -(-3), +4, ~5)
    """,
    "containers": """
        a = [1, 2.5, None, True, "s", (1,), {"k": [1]}]
        print(a, len(a), a[1:3], a[::-1], a[-1]["k"])
        t = (1, 2, 3)
        print(t, t[0], (), (1,), tuple([1, 2]), list(t), sorted([3, 1, 2]))
        d = {"a": 1, "b": 2}
        d["c"] = 3
        del d["a"]
        print(d, list(d), "b" in d, "z" not in d, {**d, "e": 5})
        print({1, 2, 2}, [*t, *a[:2]], min(t), max(t, key=lambda v: -v), sum(t))
    """,
    "strings": """
        name = "wörld"
        x = 3.14159
        print(f"hello {name}! {x:.2f} {x!r} {x=} {x:>10.3f}|{10:05d} {'q'}")
        print("a" "b", 'c' + "d", "x" * 3, "%s-%d" % ("a", 3), "{} {:.1f}".format(1, 2.25))
        print(r"\\n", "\\t|", "é", '''tri
        ple''', "{{}}".format())
        w = 7
        print(f"{x:{w}.{2}f}|{{literal}}")
    """,
    "type": """
        print(type(1), type(1.5), type("s"), type([1]), type(None), type(range(2)))
        print(type(1) is int, type(2.0) == float, isinstance(3, type(4)))
    """,
    "print_args": """
        print("a", "b", sep="-", end="!\\n")
        print()
        print(None, True, False, [None], sep="")
        print(1, 2, sep=None, end=None)
    """,
    "comparisons": """
        a, b, c = 1, 2, 3
        print(a < b < c, a < b > c, a == 1 != b, a is None, a is not None, 1 in [1], 2 not in [1])
        print(not a, not 0, a and b, 0 and b, a or b, 0 or b, None or 0, [] or "x")
        print(1 if a else 2, 1 if 0 else 2)
        x = []
        print(x is x, x == [], x is [])
    """,
    "assignment": """
        a = b = 5
        c, d = 1, 2
        (e, f), g = (3, 4), 5
        h, *i = [1, 2, 3]
        *j, k = "xyz"
        l, = [9]
        m = [0, 0]
        m[0], m[1] = 7, 8
        print(a, b, c, d, e, f, g, h, i, j, k, l, m)
        n = 10
        n += 1; n -= 2; n *= 3; n /= 2; n //= 2; n **= 2; n %= 7
        print(n)
        s = [1]
        s += [2]
        s[0] += 5
        print(s)
    """,
    "control_flow": """
        for i in range(5):
            if i == 1:
                continue
            elif i == 3:
                break
            else:
                print("i", i)
        else:
            print("not reached")
        for i in []:
            pass
        else:
            print("else runs")
        n = 0
        while n < 10:
            n += 3
            if n > 20:
                break
        else:
            print("while else", n)
        for i, (a, b) in enumerate(zip("ab", [1, 2])):
            print(i, a, b)
        for row in [[1, 2], [3]]:
            for v in row:
                print(v, end=" ")
        print()
    """,
    "functions": """
        def f(a, b=2, *args, c, d=4, **kw):
            return a, b, args, c, d, kw
        print(f(1, c=3))
        print(f(1, 5, 6, 7, c=0, z=1))
        def counter():
            count = 0
            def inc(step=1):
                return count + step
            count = 10
            return inc
        print(counter()(), counter()(5))
        fs = [lambda: i for i in range(3)]
        print([g() for g in fs])
        def fact(n):
            return 1 if n <= 1 else n * fact(n - 1)
        print(fact(10))
        def noret():
            pass
        print(noret(), (lambda x, y=2: x * y)(3))
        def kwonly(*, key):
            return key
        print(kwonly(key=1), f(*[1, 2], **{"c": 3}))
        print(f)
    """,
    "comprehensions": """
        print([x * y for x in range(3) for y in range(3) if x != y])
        print({x: x * x for x in range(4)}, {x % 3 for x in range(10)})
        print(sum(x for x in range(10) if x % 2), list(x for x in "ab"))
        x = 100
        print([x for x in range(3)], x)
    """,
    "builtins": """
        print(abs(-2.5), min(3, 1, 2), max([1, 5]), round(1.23456, 3), len("abc"))
        print(list(range(2, 10, 3)), list(enumerate("ab", 1)), list(zip([1, 2], [3, 4])))
        print(isinstance(1, int), isinstance(1.0, (int, float)), str(1.5), float(2), int(2.9))
        print(bool([]), tuple("ab"), list(reversed([1, 2])), any([0, 1]), all([]))
        print(divmod(7, 2), pow(2, 5), repr("x"), sorted("cab"), dict(a=1))
        print(id(1) == id(1), isinstance(id(None), int))
    """,
    "delete_and_scopes": """
        a = 1
        del a
        def g():
            v = 2
            def h():
                return v * 3
            return h()
        print(g())
        lst = [1, 2, 3]
        del lst[0]
        print(lst)
    """,
    "assert_ok": """
        assert 1 == 1, "fine"
        assert True
        print("ok")
    """,
}

FAILING = {
    "name_error": "print(1)\nprint(undefined_name)\n",
    "zero_division": "x = 1\ny = x / 0\n",
    "index_error": "a = [1]\nprint(a[5])\n",
    "key_error": "d = {}\nd['k']\n",
    "type_error_args": "def f(a, b):\n    return a\nf(1)\n",
    "too_many_args": "def f(a):\n    return a\nf(1, 2)\n",
    "unexpected_kw": "def f(a):\n    return a\nf(1, b=2)\n",
    "multiple_values": "def f(a):\n    return a\nf(1, a=2)\n",
    "unpack_many": "a, b = [1, 2, 3]\n",
    "unpack_few": "a, b, c = [1, 2]\n",
    "unpack_star": "a, b, *c = [1]\n",
    "unpack_int": "a, b = 1\n",
    "type_two_args": "print(type(1, 2))\n",
    "assert_msg": "assert 1 == 2, 'values differ'\n",
    "assert_bare": "x = 0\nassert x\n",
    "unbound_local": "def f():\n    print(v)\n    v = 1\nf()\n",
    "attribute": "x = 1\nx.foo\n",
    "not_iterable": "for i in 5:\n    pass\n",
    "bad_operand": "x = 'a' - 1\n",
    "not_callable": "x = 1\nx()\n",
    "format_spec": "print(f'{\"a\":d}')\n",
    "lambda_args": "f = lambda x: x\nf()\n",
    "defaults_missing": "def f(a, b, c=1, *, d):\n    pass\nf(1, d=2)\n",
}


def gradcli_run(source: str, **kwargs):
    out = io.StringIO()
    error = None
    try:
        run(parse(source, "prog.py"), stdout=out, **kwargs)
    except SourceError as e:
        error = e
    return out.getvalue(), error


def cpython_run(source: str):
    out = io.StringIO()
    error = None
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(source, "prog.py", "exec"), {"__name__": "__main__"})  # the oracle, tests only
        except Exception as e:  # noqa: BLE001 - any error is what we compare
            error = e
    return out.getvalue(), error


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_cpython_prints(name):
    source = textwrap.dedent(PROGRAMS[name]).lstrip("\n")
    expected, expected_error = cpython_run(source)
    assert expected_error is None
    got, error = gradcli_run(source)
    assert error is None, error.message
    # function reprs carry addresses; compare them without
    import re

    def strip(s):
        return re.sub(r" at 0x[0-9a-f]+", " at 0x", s)

    assert strip(got) == strip(expected)


@pytest.mark.parametrize("name", sorted(FAILING))
def test_fails_as_cpython_fails(name):
    source = FAILING[name]
    expected, expected_error = cpython_run(source)
    assert expected_error is not None
    got, error = gradcli_run(source)
    assert got == expected
    assert isinstance(error, ProgramRuntimeError), error
    assert error.message == python_message(expected_error)
    assert error.span.line == _innermost_program_line(expected_error)


def _innermost_program_line(error: BaseException) -> int:
    tb, line = error.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "prog.py":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line if line is not None else error.lineno


def test_error_position_is_the_failing_node():
    _, error = gradcli_run("a = 1\nb = [1, 2]\nc = a + b[7]\n")
    assert (error.span.line, error.span.column) == (3, 9)
    assert error.message == "IndexError: list index out of range"


def test_short_circuit_skips_the_right_side():
    out, error = gradcli_run("x = 0\nprint(x and 1 / x, x or 'r', 1 or 1 / 0)\n")
    assert error is None and out == "0 r 1\n"


def test_closures_see_later_assignments():
    out, _ = gradcli_run("def outer():\n    def inner():\n        return v\n    v = 5\n    return inner\nprint(outer()())\n")
    assert out == "5\n"


def test_last_value_and_assigned_order():
    result = run(parse("a = 1\nb = 2\na = 3\na + b\n", "p.py"), stdout=io.StringIO())
    assert result.last_value == 5
    assert list(result.env) == ["a", "b"]
    assert [(n, s.line) for n, s in result.assigned] == [("a", 1), ("b", 2), ("a", 3)]


def test_set_values_override_the_first_assignment_only():
    source = "x = 1\nprint(x)\nx = x + 1\nprint(x)\n"
    out = io.StringIO()
    result = run(parse(source, "p.py"), set_values={"x": 10}, stdout=out)
    assert out.getvalue() == "10\n11\n"
    assert result.env["x"] == 11


def test_steps_count_loop_iterations_and_calls():
    result = run(parse("def f():\n    pass\nfor i in range(3):\n    f()\n", "p.py"), stdout=io.StringIO())
    assert result.steps == 6


@pytest.mark.parametrize("line", ["v()", "v.foo", "len(x.sum())", "v + 'a'", "x[0][0]()", "x.t()()",
                                  "x.shape()", "x.dtype()", "x.device()", "x.shape.foo", "x.dtype.foo", "x.dtype + 1",
                                  "1 - x.dtype", "x.dtype < x.dtype", "len(x.dtype)", "x.shape[0]()"])
def test_pythons_messages_name_torchs_types_as_torch_does(line):
    # views, Size, dtype and device are classes of gradcli's own: Python's words about their
    # type still say 'Tensor', 'torch.Size', 'torch.dtype', 'torch.device'
    torch = pytest.importorskip("torch")
    setup = "x = torch.ones(2, 3)\nv = x[0]\n"
    env = {"torch": torch}
    exec(setup, env)  # noqa: S102 - this test's fixed setup, under PyTorch
    try:
        eval(line, env)  # noqa: S307 - this test's fixed line, under PyTorch
    except Exception as e:  # noqa: BLE001 - compared below
        want = f"{type(e).__name__}: {e}"
    with pytest.raises(SourceError) as got:
        run(parse("import torch\n" + setup + line + "\n", "p.py"), stdout=io.StringIO())
    assert got.value.message == want


@pytest.mark.parametrize("text", ["got an unexpected keyword argument 'dtype'", "'Tensor' object has no attribute 'Size'",
                                  "zeros(): argument 'dtype' must be torch.dtype, not int"])
def test_names_that_are_not_types_stay_as_written(text):
    # only a quoted type ('Size' object, of type 'dtype'...) becomes torch's full name
    assert python_message(TypeError(text)) == f"TypeError: {text}"
