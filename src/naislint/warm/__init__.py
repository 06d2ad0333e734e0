"""A warm process for short runs: ``naislint check`` on a few files, started often.

Most of a one-page run is Python importing naislint, markdown-it, PyYAML and click and
compiling their patterns, not linting the page. A warm process (:mod:`.server`) imports all
of that once and waits on a Unix socket in a private folder; each run then forks a copy of it
that runs the command exactly as the ``naislint`` process would (same arguments, folder,
environment, standard streams), while the process the user started (:mod:`.client`) only
connects and waits for the exit code. :mod:`.place` says where the socket is and when a
warm process is used or started.
"""
