"""Data files shipped with the program (instruments, templates, fonts, demo seeds, icons).

This folder is a package only so that it can be located with ``importlib.resources`` from a
source checkout, an installed wheel and a frozen build alike; it holds no code.
"""
