"""`python -m dipfacts` runs the same CLI as the `dipfacts` script."""

from dipfacts.cli import main

if __name__ == "__main__":
    main()
