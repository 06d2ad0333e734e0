"""Allow ``python -m naislint``."""

from naislint.cli import main

if __name__ == "__main__":
    main()
