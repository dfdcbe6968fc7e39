"""Read the edit-history panel (templates/_history.html) of a page as a person reads it, and a second headquarters
account, so that "two people edited it" can be told apart."""

import html
import re

from campaigns.choices import Role
from campaigns.models import User

PANEL = 'id="edit-history"'


def history_panel(response) -> str | None:
    """The panel's text with the markup stripped and the spaces collapsed, or None when the page has no panel."""
    page = response.content.decode()
    if PANEL not in page:
        return None
    start = page.rindex("<div", 0, page.index(PANEL))
    depth, position = 0, start
    for tag in re.finditer(r"<(/?)div\b", page[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            position = page.index(">", start + tag.end()) + 1
            break
    text = re.sub(r"<[^>]+>", " ", page[start:position])
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def second_headquarters(hq) -> User:
    """Another member of headquarters' office, to edit after ``hq``."""
    return User.objects.create_user(
        "hq-deputy", password="Deputy-2021-x", display_name="赵副主任", role=Role.HEADQUARTERS, unit=hq.unit
    )
