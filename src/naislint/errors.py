"""Errors that end a run with exit 2, in one light module.

The command line catches them on every run; keeping them here means it need not import
the git and baseline machinery (and what they import) on runs that use neither.
"""


class GitError(Exception):
    """git is missing, the folder is not in a repository, or the ref is unknown."""


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a naislint baseline."""


class ConfigError(Exception):
    """A configuration problem; the message names file, key and line where known. Also
    what a rule raises when its options or its run-wide preparation cannot work."""
