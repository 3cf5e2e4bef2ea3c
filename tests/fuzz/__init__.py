"""Fuzzing gradcli (issue 7): generators of programs and the oracle that judges a run.

Every input must end with success or a program error (exit 0 or 1), never with an
exception of Python's escaping gradcli, an internal error, or a traceback.
"""
