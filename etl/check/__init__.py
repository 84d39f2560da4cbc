"""Checks on a staged return: the problems by sheet and cell, the rules every figure keeps, total rows."""
