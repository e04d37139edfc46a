"""``python -m graphkit``: the command line."""

from graphkit.cli import main

if __name__ == "__main__":
    main()
