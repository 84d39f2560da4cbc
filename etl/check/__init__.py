"""Checks on a staged return: the rules every figure keeps, and total rows against what they sum."""
