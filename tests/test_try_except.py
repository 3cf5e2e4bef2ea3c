"""try/except/else/finally and raise, with CPython (+ PyTorch where a program imports it) as the oracle.

Each program runs under gradcli and under CPython's own ``exec`` (here in the tests
only); what is printed and the error that ends the program must be the same.
(Syntax: tests/test_try_syntax.py.)
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import textwrap
import warnings

import pytest

from fuzz.oracle import GRADCLI
from gradcli.errors import LimitExceeded, ProgramRuntimeError, SourceError
from gradcli.interp import run
from gradcli.interp.runner import Limits
from gradcli.interp.runtime import python_message
from gradcli.syntax import parse

TORCH_PROGRAMS = {
    "second backward without retain_graph": """
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        c = (a * a.exp()).sum()
        c.backward()
        try:
            c.backward()
        except RuntimeError as e:
            print("error:", e)
        print(a.grad)
    """,
    "in-place on a leaf": """
        a = torch.ones(2, requires_grad=True)
        try:
            a.add_(1)
        except RuntimeError as e:
            print(type(e), e.args, isinstance(e, Exception))
    """,
    "backward on a non-scalar": """
        a = torch.ones(2, requires_grad=True)
        try:
            (a * 2).backward()
        except RuntimeError as e:
            print(repr(e))
    """,
    "grad of a tensor that does not require grad": """
        b = torch.tensor([1.0, 2.0])
        try:
            torch.autograd.grad(b.sum(), b)
        except RuntimeError as e:
            print(str(e))
        try:
            b.sum().backward()
        except RuntimeError as e:
            print(e)
    """,
    "shape mismatch in mm": """
        try:
            torch.mm(torch.ones(2, 3), torch.ones(2, 3))
        except RuntimeError as e:
            print("mm:", e)
        try:
            torch.ones(2) + torch.ones(3)
        except Exception as e:
            print(type(e).__name__, e)
    """,
    "index out of range": """
        try:
            torch.ones(3)[5]
        except IndexError as e:
            print("index:", e, isinstance(e, LookupError), e.args)
    """,
    "int tensor requires_grad": """
        try:
            torch.tensor([1, 2], requires_grad=True)
        except RuntimeError as e:
            print("int:", e)
    """,
    "version counter": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        w = y.exp()
        y.mul_(2)
        try:
            w.sum().backward()
        except RuntimeError as e:
            print("version:", e)
    """,
    "view of a wrong size": """
        try:
            torch.ones(2, 2).view(3)
        except (ValueError, RuntimeError) as e:
            print("view:", e)
    """,
    "a torch error re-raised and left uncaught": """
        a = torch.ones(2, requires_grad=True)
        try:
            (a * 2).backward()
        except RuntimeError:
            print("caught once")
            raise
    """,
    "training loop that skips a failing step": """
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        for step in range(3):
            try:
                loss = (w * w).sum()
                if step == 1:
                    loss = w * 3
                loss.backward()
            except RuntimeError as e:
                print(step, "skipped:", e)
                continue
            finally:
                print("step", step, "done")
            print(step, w.grad)
            w.grad = None
    """,
    "gradcheck failure is a RuntimeError of torch's class": """
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        try:
            torch.autograd.gradcheck(lambda t: t.detach() * 2 + t, (x,))
        except RuntimeError as e:
            print(type(e), str(e).splitlines()[0])
    """,
    "a message that names torch's types": """
        try:
            torch.Size([2])(1)
        except TypeError as e:
            print(e, e.args)
    """,
    "an uncaught torch error with a finally": """
        a = torch.ones(2, requires_grad=True)
        try:
            a.add_(1)
        finally:
            print("cleanup")
    """,
}

PROGRAMS = {
    "nested try": """
        try:
            try:
                1 / 0
            except KeyError:
                print("not here")
            finally:
                print("inner finally")
        except ZeroDivisionError as e:
            print("outer:", e)
    """,
    "else runs when nothing was raised": """
        for x in [1, 0]:
            try:
                y = 1 / x
            except ZeroDivisionError:
                print("zero")
            else:
                print("ok", y)
            finally:
                print("always", x)
    """,
    "finally with return": """
        def f(x):
            try:
                return 1 / x
            except ZeroDivisionError:
                return "handled"
            finally:
                print("finally", x)
        print(f(2), f(0))
        def g():
            try:
                1 / 0
            finally:
                return "finally wins"
        print(g())
        def h():
            try:
                return "try"
            finally:
                return "finally"
        print(h())
    """,
    "finally with break and continue": """
        for i in range(5):
            try:
                if i == 1:
                    continue
                if i == 3:
                    break
                print("body", i)
            finally:
                print("finally", i)
        n = 0
        while True:
            n += 1
            try:
                if n > 2:
                    raise ValueError("stop")
            except ValueError:
                break
            finally:
                print("round", n)
        for i in range(3):
            try:
                raise KeyError(i)
            finally:
                continue
        print("swallowed by continue")
    """,
    "raise and re-raise": """
        try:
            raise ValueError("bad value", 3)
        except ValueError as e:
            print(e, repr(e), e.args, type(e))
        try:
            try:
                raise TypeError("inner")
            except TypeError:
                raise
        except TypeError as e:
            print("re-raised:", e)
        try:
            raise KeyError
        except KeyError as e:
            print(repr(e), e.args)
        try:
            raise RuntimeError("a") from ValueError("b")
        except RuntimeError as e:
            print(e)
        try:
            raise RuntimeError("c") from None
        except Exception as e:
            print(e)
        err = IndexError("kept")
        try:
            raise err
        except IndexError as e:
            print(e is err)
    """,
    "except tuples and order": """
        for value in ["a", [], 0, None]:
            try:
                if value == "a":
                    int(value)
                elif value == []:
                    value[1]
                elif value == 0:
                    1 / value
                else:
                    value.foo
            except (ValueError, IndexError) as e:
                print("tuple:", type(e).__name__, e)
            except ArithmeticError as e:
                print("arith:", e)
            except Exception as e:
                print("other:", type(e), e)
    """,
    "bare except": """
        try:
            {}["missing"]
        except:
            print("bare")
        try:
            undefined_name
        except NameError as e:
            print(e)
    """,
    "exception in a handler": """
        try:
            try:
                1 / 0
            except ZeroDivisionError:
                [][0]
        except IndexError as e:
            print("from handler:", e)
        try:
            1 / 0
        except ZeroDivisionError:
            raise ValueError("replaced")
    """,
    "exception in else and finally": """
        try:
            try:
                pass
            except ValueError:
                print("not here")
            else:
                raise KeyError("from else")
        except KeyError as e:
            print(repr(e))
        try:
            try:
                1 / 0
            finally:
                raise ValueError("from finally")
        except ValueError as e:
            print(e)
    """,
    "the as name is deleted after the handler": """
        try:
            raise ValueError("x")
        except ValueError as e:
            print(e)
        print(e)
    """,
    "the as name in a function": """
        def f():
            try:
                raise ValueError("in f")
            except ValueError as problem:
                message = str(problem)
            return message
        print(f())
        def g():
            try:
                raise ValueError("x")
            except ValueError as e:
                pass
            return e
        g()
    """,
    "exception classes called and printed": """
        e = RuntimeError("boom")
        print(e, repr(e), e.args, str(e), type(e), isinstance(e, Exception))
        print(isinstance(KeyError("k"), LookupError), ZeroDivisionError.__name__)
        print(repr(StopIteration()), repr(NotImplementedError("later")), OverflowError)
    """,
    "catching a non-exception class": """
        try:
            1 / 0
        except int:
            pass
    """,
    "raising a non-exception": """
        raise 5
    """,
    "raise from a non-exception": """
        raise ValueError("x") from 3
    """,
    "bare raise outside a handler": """
        print("before")
        raise
    """,
    "bare raise in a function called from a handler": """
        def again():
            raise
        try:
            raise KeyError("k")
        except KeyError:
            try:
                again()
            except KeyError as e:
                print("again:", repr(e))
        again()
    """,
    "raise a class": """
        raise NotImplementedError
    """,
    "assert caught": """
        try:
            assert 1 == 2, "not equal"
        except AssertionError as e:
            print("assert:", e)
    """,
    "bare raise in finally re-raises the error in flight": """
        def f():
            try:
                raise ValueError("in flight")
            finally:
                raise
        try:
            f()
        except Exception as e:
            print(type(e).__name__, e)
    """,
    "except expressions are evaluated in order, only when needed": """
        def kind(name, cls):
            print("evaluated", name)
            return cls
        try:
            pass
        except kind("never", KeyError):
            pass
        try:
            raise ValueError("y")
        except kind("first", KeyError):
            pass
        except kind("second", ValueError):
            print("second")
        try:
            raise ValueError("z")
        except undefined_class:
            pass
    """,
    "single-line clauses": """
        try: x = 1 / 0
        except ZeroDivisionError as e: print("one line:", e)
        else: print("no")
        finally: print("end")
    """,
}


def gradcli_run(source: str, **limits):
    out = io.StringIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run(parse(source, "prog.py"), stdout=out, limits=Limits(**limits) if limits else None)
    except SourceError as e:
        return out.getvalue(), e
    return out.getvalue(), None


def cpython_run(source: str):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(source, "prog.py", "exec"), {"__name__": "__main__"})  # the oracle, tests only
        except Exception as e:  # noqa: BLE001 - any error is what we compare
            return out.getvalue(), e
    return out.getvalue(), None


def _compare(source: str) -> None:
    expected, expected_error = cpython_run(source)
    got, error = gradcli_run(source)
    assert got == expected
    if expected_error is None:
        assert error is None, f"{error.span}: {error.message}"
    else:
        assert isinstance(error, ProgramRuntimeError), error
        assert error.message == python_message(expected_error)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_as_cpython(name):
    _compare(textwrap.dedent(PROGRAMS[name]).lstrip("\n"))


@pytest.mark.parametrize("name", sorted(TORCH_PROGRAMS))
def test_same_as_torch(name):
    pytest.importorskip("torch")
    _compare("import torch\n" + textwrap.dedent(TORCH_PROGRAMS[name]).lstrip("\n"))


@pytest.mark.parametrize("source,message", [
    ("n = 0\nwhile True:\n    try:\n        n += 1\n    except Exception:\n        pass\n",
     "step limit of 1000 exceeded (raise it with --max-steps)"),
    ("n = 0\nwhile True:\n    try:\n        n += 1\n    finally:\n        continue\n",
     "step limit of 1000 exceeded (raise it with --max-steps)"),
    ("def f(n):\n    try:\n        return f(n + 1)\n    except:\n        return 0\nf(0)\n",
     "recursion deeper than 200 calls (the program's functions call themselves too deeply)"),
])
def test_limits_are_not_the_programs_to_catch(source, message):
    out, error = gradcli_run(source, max_steps=1000)
    assert isinstance(error, LimitExceeded)
    assert error.message == message


def test_max_elements_is_not_the_programs_to_catch():
    source = ("import torch\ntry:\n    x = torch.ones(1000, 1000)\nexcept Exception as e:\n"
              "    print('caught', e)\nfinally:\n    print('finally')\n")
    from gradcli.autograd import limits

    try:
        out, error = gradcli_run(source, max_elements=1000)
    finally:
        limits.set_max_elements(None)  # the engine's limit outlives the run
    assert isinstance(error, LimitExceeded) and "(raise it with --max-elements)" in error.message
    assert out == ""  # neither the handler nor the finally ran: gradcli stopped the program


def test_timeout_is_not_caught_by_except_exception(tmp_path):
    path = tmp_path / "p.py"
    path.write_text("n = 0\nwhile True:\n    try:\n        n += 1\n    except Exception:\n"
                    "        print('caught')\n    finally:\n        pass\n")
    p = subprocess.run([GRADCLI, "run", str(path), "--timeout", "0.5"], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 1
    assert "caught" not in p.stdout
    assert "error: TimeoutError: gave up after --timeout 0.5 seconds" in p.stderr


def test_uncaught_raise_is_reported_like_any_runtime_error(tmp_path):
    path = tmp_path / "p.py"
    path.write_text("x = 1\nif x:\n    raise ValueError(f'bad x: {x}')\n")
    p = subprocess.run([GRADCLI, "run", str(path)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    lines = p.stderr.splitlines()
    assert lines[0] == f"{path}:3:5: error: ValueError: bad x: 1"
    assert lines[1] == "    raise ValueError(f'bad x: {x}')"
    assert lines[2].startswith("    ^")


@pytest.mark.parametrize("message", [
    "RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)",
    "KeyError: 'a'",
    "IndexError",
    "torch._C._LinAlgError: linalg.inv: The diagonal element 1 is zero",
    "text without a class name: still a RuntimeError",
])
def test_a_rewritten_message_gives_an_exception_of_the_class_it_names(message):
    from gradcli.errors import Span
    from gradcli.interp.exceptions import program_exception

    error = ProgramRuntimeError(message, Span("p.py", 1, 1))
    exc = program_exception(error)
    assert program_exception(error) is exc  # the same object for every handler
    name, _, text = message.partition(": ")
    if " " in name:
        assert type(exc) is RuntimeError and str(exc) == message
        return
    assert python_message(exc) == message
    assert isinstance(exc, Exception)
    if name.startswith("torch."):
        torch = pytest.importorskip("torch")
        real = torch._C._LinAlgError(text)
        assert (str(type(exc)), repr(exc), isinstance(exc, RuntimeError)) == \
            (str(type(real)), repr(real), isinstance(real, RuntimeError))
