"""Property-based: hostile seed files and command-line arguments end in success or a clear
`CommandError` — never a traceback, never a half-written database."""

import datetime
import io
import tempfile
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from articles.models import Article, Tag
from articles.seeds import OPTIONAL_KEYS, REQUIRED_KEYS
from tests.factories import make_article
from tests.fuzz import CHARACTERS, hostile_text
from tests.html_checks import inline_code

pytestmark = pytest.mark.django_db

YAML_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**80), max_value=2**80),
        st.floats(allow_nan=True, allow_infinity=True),
        st.datetimes(timezones=st.just(datetime.UTC)),
        st.dates(),
        hostile_text(80),
    ),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(hostile_text(10), children, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def seed_files(draw):
    """File contents: a YAML header with known and unknown keys and any values, or any bytes."""
    kind = draw(st.sampled_from(["header", "header", "header", "raw text", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "raw text":
        return draw(hostile_text(400)).encode()
    keys = st.sampled_from(sorted(REQUIRED_KEYS | OPTIONAL_KEYS)) | hostile_text(12)
    header = draw(st.dictionaries(keys, YAML_VALUES, max_size=8))
    for key in REQUIRED_KEYS:
        if draw(st.booleans()):
            header[key] = draw(hostile_text(60))
    try:
        dumped = yaml.safe_dump(header, allow_unicode=True)
    except yaml.YAMLError:
        dumped = draw(hostile_text(100))
    body = draw(hostile_text(400))
    return f"---\n{dumped}---\n\n{body}\n".encode("utf-8", "surrogatepass")


def database_state():
    return (
        list(Article.objects.order_by("pk").values()),
        list(Tag.objects.order_by("pk").values()),
        list(get_user_model().objects.order_by("pk").values("pk", "username", "first_name")),
    )


@pytest.fixture
def existing():
    return make_article(slug="already-here", title="Already here")


@given(files=st.lists(seed_files(), min_size=1, max_size=3), dry_run=st.booleans())
def test_load_seeds_with_hostile_files(client, existing, files, dry_run):
    before = database_state()
    with tempfile.TemporaryDirectory() as folder:
        for number, content in enumerate(files):
            Path(folder, f"{number}.md").write_bytes(content)
        try:
            call_command("load_seeds", folder, dry_run=dry_run, stdout=io.StringIO())
        except CommandError as error:
            assert str(error)  # a message saying which file and what is wrong
            assert database_state() == before
            return
    if dry_run:
        assert database_state() == before
    for article in Article.objects.all():
        response = client.get(article.get_absolute_url())
        assert response.status_code in (200, 404)
        assert inline_code(response.content.decode()) == []


def asks_for_help(argument: str) -> bool:
    """`-h`, `--help` or an abbreviation argparse accepts (`--he`): help, not bad input."""
    return argument == "-h" or (len(argument) > 2 and "--help".startswith(argument))


ARGUMENTS = st.lists(
    st.one_of(
        hostile_text(30),
        st.sampled_from(
            ["--dry-run", "--verbosity", "-v", "3", "--no-color", "--", "-", "/", "/dev/null"]
        ),
        st.text(CHARACTERS, max_size=10).map(lambda text: f"--{text}"),
    ).filter(lambda argument: not asks_for_help(argument)),
    max_size=4,
)


@pytest.mark.parametrize("command", ["load_seeds", "flush_views"])
@given(arguments=ARGUMENTS)
def test_command_arguments(existing, command, arguments):
    """Any command line ends in success or a clear CommandError, and a failure writes nothing."""
    before = database_state()
    try:
        call_command(command, *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        assert str(error)
        assert database_state() == before
