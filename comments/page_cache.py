"""What the comments app tells the page cache: its cookies make a page personal (a remembered name,
the reader's own comments), and the form's anti-bot token is issued afresh on every hit."""

from django.utils.html import format_html

from pagecache import registry

from . import authorship
from .forms import issue_form_token


def issued_token_input(token: str) -> str:
    return format_html('<input type="hidden" name="issued" value="{}">', token)


def _fresh_tokens(request, article_ids):
    return {article_id: issue_form_token(int(article_id)) for article_id in article_ids}


def connect() -> None:
    registry.register_private_cookies({authorship.AUTHOR_COOKIE, authorship.MINE_COOKIE})
    registry.register_fragment("comment-issued", render=issued_token_input, load=_fresh_tokens)
