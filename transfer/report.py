"""The import report as text: the same lines for the command and the admin page."""

from django.utils.translation import gettext as _

from .importer import ImportReport

# Up to this many redirects are always listed; more are listed only when asked for.
SHORT_LIST = 50


def report_lines(report: ImportReport, *, detailed: bool = True) -> list[str]:
    lines = [_("Source format: %(format)s") % {"format": report.source_format.upper()}]
    for kind, count in sorted(report.created.items()):
        lines.append(_("created %(kind)s: %(count)d") % {"kind": kind, "count": count})
    for kind, count in sorted(report.existing.items()):
        lines.append(_("already here, %(kind)s: %(count)d") % {"kind": kind, "count": count})
    for mapping, count in sorted(report.statuses.items()):
        lines.append(_("status %(mapping)s: %(count)d") % {"mapping": mapping, "count": count})
    for label, reason in report.skipped:
        lines.append(_("skipped %(item)s: %(reason)s") % {"item": label, "reason": reason})
    for url, reason in report.unreachable_images:
        lines.append(
            _("image kept as a link, %(url)s: %(reason)s") % {"url": url, "reason": reason}
        )
    lines += [_("note: %(warning)s") % {"warning": warning} for warning in report.warnings]
    if detailed or len(report.redirects) <= SHORT_LIST:
        lines += [
            _("redirect %(old)s → %(new)s") % {"old": o, "new": n} for o, n in report.redirects
        ]
    else:
        count = len(report.redirects)
        lines.append(_("%(count)d redirects created (-v 2 lists them)") % {"count": count})
    summary = _(
        "%(articles)d article(s), %(comments)d comment(s), %(authors)d author(s), %(tags)d tag(s) "
        "and %(redirects)d redirect(s) created; %(skipped)d item(s) skipped."
    ) % {
        "articles": report.created["articles"],
        "comments": report.created["comments"],
        "authors": report.created["authors"],
        "tags": report.created["tags"],
        "redirects": report.created["redirects"],
        "skipped": len(report.skipped),
    }
    prefix = _("Dry run, nothing written: would have") if report.dry_run else _("Import done:")
    return [*lines, f"{prefix} {summary}"]
