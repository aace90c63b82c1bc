"""Reading a posted form: bounded, and refused when it holds a NUL character.

The body's size is limited before it is read (:mod:`web.body_limit`); here the
parser's own limits apply (fields, parts, files). No browser sends a NUL in a form
field, and PostgreSQL cannot hold one: a NUL in the login e-mail or a report
answered 500 and logged the report's text (security review D4), so such a form is
refused whole, before anything looks at it.
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request

MAX_FIELDS = 400
MAX_PART_BYTES = 256 * 1024


class FormRefused(Exception):
    """The form holds something no browser sends (a NUL character)."""


async def read_form(request: Request, *, files: int = 0) -> FormData:
    form = await request.form(max_files=files, max_fields=MAX_FIELDS, max_part_size=MAX_PART_BYTES)
    if any("\x00" in key or (isinstance(v, str) and "\x00" in v) for key, v in form.multi_items()):
        await form.close()
        raise FormRefused
    return form
