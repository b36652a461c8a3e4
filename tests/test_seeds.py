"""`load_seeds`: the seed page comes in verbatim, re-runs change nothing, bad files are refused."""

import hashlib
import textwrap

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Tag

SEED_SLUG = "china-and-russia-commemorate-korean-war-armistice-in-north-korea"
FIRST_PARAGRAPH = (
    "In a significant development, high-ranking officials from China and Russia are set to visit "
    "North Korea to mark the 70th anniversary of the armistice that brought an end to the Korean "
    "War. The visit of these delegations signals North Korea's efforts to re-engage with the "
    "international community after years of self-imposed pandemic isolation and also showcases "
    "its strategic partnerships with authoritarian neighbors amidst rising nuclear tensions with "
    "the United States, South Korea, and Japan."
)
LAST_PARAGRAPH = (
    "As the delegations arrive in Pyongyang to commemorate this historic event, all eyes will be "
    "on the outcomes of their meetings with North Korean officials. It remains to be seen how the "
    "international community will respond to these developments and whether they will pave the "
    "way for constructive dialogue aimed at finding a lasting resolution to the Korean War and its "
    "enduring aftermath."
)

# sha256 of the seven paragraphs of ../shared/seeds/000_5854bf78550af1a0.txt (each stripped of the
# page's surrounding whitespace), joined by blank lines: the seed must carry them character for
# character.
SOURCE_PARAGRAPHS_SHA256 = "b52ec6860280d61d5ffb618de3ba0e5d5b627d73d4ed64781c22e693b3959c44"

pytestmark = pytest.mark.django_db


def load(*args, **options):
    call_command("load_seeds", *map(str, args), stdout=(out := _Out()), **options)
    return out.text


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, chunk):
        self.text += chunk

    def flush(self):
        pass


def write_seed(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


GOOD_SEED = """
    ---
    title: A good seed
    author: Grace Hopper
    published_at: 2024-01-02T03:04:05Z
    views: 3
    tags: [Computing]
    ---

    First paragraph.

    Second paragraph.
    """


def test_project_seed_is_the_scraped_article_verbatim(client):
    """The first seed is the page the product was modelled on: author, title, text, 7 views."""
    load()
    article = Article.objects.get(slug=SEED_SLUG)
    assert article.title == "China and Russia Commemorate Korean War Armistice in North Korea"
    assert article.author_name == "Abu Aliyu"
    assert article.view_count == 7
    assert article.comment_count == 0
    assert article.published_at.date().isoformat() == "2023-07-25"
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 7
    assert paragraphs[0] == FIRST_PARAGRAPH
    assert paragraphs[-1] == LAST_PARAGRAPH
    assert hashlib.sha256(article.body.encode()).hexdigest() == SOURCE_PARAGRAPHS_SHA256
    assert article.body_html.count("<p>") == 7
    assert set(article.tags.values_list("name", flat=True)) == {
        "North Korea",
        "China",
        "Russia",
        "Korean War",
    }

    page = client.get(article.get_absolute_url()).content.decode()
    assert "7 views" in page
    assert "0 comments" in page
    assert "Abu Aliyu" in page
    assert "North Korea&#x27;s efforts to re-engage" in page


def test_seed_authors_are_created_without_a_usable_password():
    load()
    author = Article.objects.get(slug=SEED_SLUG).author
    assert author.get_full_name() == "Abu Aliyu"
    assert not author.has_usable_password()


def test_seed_authors_get_a_profile_with_an_author_page(client):
    load()
    profile = Article.objects.get(slug=SEED_SLUG).author.profile
    assert (profile.display_name, profile.slug) == ("Abu Aliyu", "abu-aliyu")
    assert client.get(profile.get_absolute_url()).status_code == 200


def test_loading_twice_changes_nothing():
    first = load(verbosity=2)
    assert "1 created" in first
    before = list(Article.objects.values())
    second = load(verbosity=2)
    assert "0 created, 0 updated, 1 unchanged" in second
    assert list(Article.objects.values()) == before
    assert Tag.objects.count() == 4


def test_reloading_never_resets_views_readers_added():
    load()
    Article.objects.filter(slug=SEED_SLUG).update(view_count=12)
    load()
    assert Article.objects.get(slug=SEED_SLUG).view_count == 12


def test_changed_file_updates_the_article_and_reports_it(tmp_path):
    path = write_seed(tmp_path, "good.md", GOOD_SEED)
    assert "created: A good seed" in load(tmp_path)
    path.write_text(path.read_text().replace("Second paragraph.", "Edited paragraph."))
    assert "updated: A good seed" in load(tmp_path)
    article = Article.objects.get(slug="a-good-seed")
    assert "Edited paragraph." in article.body_html
    assert article.view_count == 3


def test_dry_run_writes_nothing(tmp_path):
    write_seed(tmp_path, "good.md", GOOD_SEED)
    assert "would have 1 created" in load(tmp_path, dry_run=True)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no front matter at all", "has no front matter"),
        ("---\ntitle: [unclosed\n---\nBody", "not valid YAML"),
        (
            "---\nauthor: A B\npublished_at: 2024-01-01\n---\nBody",
            "missing required field(s): title",
        ),
        ("---\ntitle: T\nauthor: A B\npublished_at: 2024-01-01\ncolour: red\n---\nBody", "unknown"),
        ("---\ntitle: T\nauthor: A B\npublished_at: 2024-01-01\n---\n\n", "empty body"),
        ("---\ntitle: T\nauthor: A B\npublished_at: soon\n---\nBody", "published_at 'soon'"),
        ("---\ntitle: T\nauthor: A B\n---\nBody", "needs published_at"),
        ("---\ntitle: T\nauthor: A B\npublished_at: 2024-01-01\nviews: -4\n---\nB", "views must"),
        ("---\ntitle: T\nauthor: A B\npublished_at: 2024-01-01\nstatus: live\n---\nB", "status"),
        ("---\ntitle: T\nauthor: A B\npublished_at: 2024-01-01\ntags: x\n---\nB", "tags must"),
        ("---\ntitle: 12\nauthor: A B\npublished_at: 2024-01-01\n---\nBody", "title must be text"),
        (f"---\ntitle: {'T' * 201}\nauthor: A B\npublished_at: 2024-01-01\n---\nB", "limit is 200"),
        (f"---\ntitle: T\nauthor: {'A' * 151}\npublished_at: 2024-01-01\n---\nB", "limit is 150"),
        ("---\ntitle: T\nauthor: '!!!'\npublished_at: 2024-01-01\n---\nB", "author has no letters"),
        (f"---\ntitle: T\nauthor: A\npublished_at: 2024-01-01\ntags: [{'x' * 61}]\n---\nB", "60"),
        (
            "---\ntitle: T\nauthor: A\npublished_at: 2024-01-01\ntags: [C, C++]\n---\nB",
            "same address",
        ),
        (
            "---\ntitle: T\nauthor: A\npublished_at: 2024-01-01\n"
            "views: 99999999999999999999\n---\nB",
            "views must",
        ),
        ("---\ntitle: T\nauthor: A\npublished_at: 2024-01-01\n---\nNUL \x00 here", "NUL"),
        (
            '---\ntitle: "\\0"\nauthor: A\npublished_at: 2024-01-01\n---\nBody',
            "title contains a NUL",
        ),
    ],
)
def test_malformed_file_is_rejected_naming_file_and_problem(tmp_path, text, problem):
    write_seed(tmp_path, "a-good-one.md", GOOD_SEED)
    write_seed(tmp_path, "broken.md", text)
    with pytest.raises(CommandError) as error:
        load(tmp_path)
    assert str(tmp_path / "broken.md") in str(error.value)
    assert problem in str(error.value)
    assert not Article.objects.exists(), "a bad file must leave the database untouched"


def test_non_utf8_file_is_rejected(tmp_path):
    (tmp_path / "latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    with pytest.raises(CommandError, match="latin1.md: is not UTF-8 text"):
        load(tmp_path)


def test_two_files_with_one_slug_are_rejected(tmp_path):
    write_seed(tmp_path, "one.md", GOOD_SEED)
    write_seed(tmp_path, "two.md", GOOD_SEED)
    with pytest.raises(CommandError, match="another seed file uses the slug 'a-good-seed'"):
        load(tmp_path)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is not a folder of seed files"):
        load(tmp_path / "nowhere")


def test_folders_named_like_seed_files_are_ignored(tmp_path):
    write_seed(tmp_path, "good.md", GOOD_SEED)
    (tmp_path / "drafts.md").mkdir()
    assert "1 created" in load(tmp_path)
