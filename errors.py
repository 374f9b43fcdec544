"""The one exception family of the library.

Every problem a user can act on (a missing store, a bad parameter, an
unreachable endpoint, an output file that cannot be written …) is raised as an
:class:`IndsatsgrafError` whose message says what happened, in words that fit
any face of the library: the command line shows it as it is, and the web
application shows it on a page. What the user can do next often depends on the
face (the command line names an option, a page a form field), so the library
names it only as a :attr:`~IndsatsgrafError.remedy` key and each face words it.
Anything else that escapes is a bug. This module imports nothing, so catching
the family costs a command nothing at start-up.
"""

#: What a user can do about an error, by remedy key; each face words these in its own terms.
REMEDIES = {
    "build": "build the graph first",
    "rebuild": "build the graph again (the old graph is replaced atomically)",
    "fresh": "build the graph anew from its sources",
    "max-file-size": "raise the size limit for one source file",
    "timeout": "raise the time limit of the query",
    "allow-service": "allow the endpoint of the SERVICE call",
    "importer": "name the importer to use",
    "queries": "list the saved queries to see their names",
    "links": "copy the IRI from the list of candidate links",
    "focus": "name the thing at the centre of the view",
    "query": "name the saved query to draw",
    "store": "give a new or empty folder for the store",
    "decisions": "fix the decisions file or keep the decisions in another one",
}


class IndsatsgrafError(Exception):
    """A problem the user can fix; ``str(error)`` is the message to show them.

    ``remedy`` (a key of :data:`REMEDIES`, or None) says what to do next without
    naming a command-line option, so the web application can word it too.
    """

    remedy: str | None = None

    def __init__(self, *args: object, remedy: str | None = None) -> None:
        super().__init__(*args)
        if remedy is not None:
            self.remedy = remedy


class QueryError(IndsatsgrafError):
    """A query or parameter problem a user can fix; the message says how.

    It lives here rather than beside the saved queries because the low-level
    execution in ``graph/`` raises it too, and ``graph/`` never imports ``queries/``.
    """
