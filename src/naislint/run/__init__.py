"""A whole run: which files, in which processes, with which caches, and what it changes.

Everything here sits above the rules: it finds the files (``discover``), lints them one by
one or in a pool of workers (``engine``, ``parallel``), keeps results (``cache``), and
applies fixes, baselines, changed-file selections and page moves (``move``). Nothing
below ``run/`` imports it.
"""
