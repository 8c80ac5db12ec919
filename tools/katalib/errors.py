"""The tools' one error type: a real tool problem (no build directory, an
unreadable manifest, ctest missing), reported with a message and exit status
2. Its own module, so a command imports it without importing ctest's parsers."""


class ToolError(Exception):
    pass
