"""Built-in rules, one module each; they register through the ``naislint.rules`` entry points."""
