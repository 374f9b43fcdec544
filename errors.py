"""The one exception family of the library.

Every problem a user can act on (a missing store, a bad parameter, an
unreachable endpoint, an output file that cannot be written …) is raised as an
:class:`IndsatsgrafError` whose message says what happened and what to do, in
words that fit any face of the library: the command line shows it as it is,
and the web application shows it on a page. Anything else that escapes is a
bug. This module imports nothing, so catching the family costs a command
nothing at start-up.
"""


class IndsatsgrafError(Exception):
    """A problem the user can fix; ``str(error)`` is the message to show them."""
