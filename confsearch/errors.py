"""The one base of every error whose message is meant for the user.

Each error the product raises on purpose carries a Swedish message, the exit code the
command line returns for it and the HTTP status the API answers with. The front ends
catch this one base and show its message: the CLI prints ``Fel: <message>`` and exits
with :attr:`ConfsearchError.exit_code`, the API answers ``{"error": <message>}`` with
:attr:`ConfsearchError.http_status`, the page shows the message. So a new error needs no
new ``except`` anywhere: it chooses its code and status here, as class attributes, or
per instance (``QueryError("…", http_status=404)``).

Errors that never leave their module (a reader's ``Unreadable``, the XML guard's
``OverBudget``) stay plain exceptions: they are control flow, not messages.
"""

from __future__ import annotations


class ConfsearchError(Exception):
    """An error whose message (``args[0]``) is for the user as it is: Swedish, no paths
    the user did not give, no exception names."""

    exit_code: int = 2  # the CLI's code for a refused command (argparse's, too)
    http_status: int = 500

    def __init__(
        self, *args: object, exit_code: int | None = None, http_status: int | None = None
    ) -> None:
        super().__init__(*args)
        if exit_code is not None:
            self.exit_code = exit_code
        if http_status is not None:
            self.http_status = http_status

    @property
    def message(self) -> str:
        """The user's message (``str(exc)`` for the one-argument errors raised here)."""
        return str(self.args[0]) if self.args else ""


class UserError(ConfsearchError):
    """A command that cannot be carried out as given (a bad ``--out``, a missing folder)."""

    http_status = 400
