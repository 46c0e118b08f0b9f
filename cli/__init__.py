"""The ``crmsensor`` command line: thin click commands over the library packages."""
