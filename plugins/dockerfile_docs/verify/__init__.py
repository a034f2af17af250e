"""Build verification: every example is built with BuildKit and what its ``example.yml`` expects is checked.

``example`` reads the declarations, ``inputs`` hashes what decides a build,
``runner`` builds (through ``engine``, the docker CLI) and checks, ``results``
stores and finds results; ``command`` is the ``verify`` subcommand.
"""
