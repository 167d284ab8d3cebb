"""The proposals list of a project, for its reviewers and admins, and their decisions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from annotator.access import NotAllowed, reviewable, visible_project
from annotator.boilerplate.forms import DecideForm
from annotator.boilerplate.proposals import (
    AnnotatedParagraph,
    ProposalError,
    confirm,
    count_pending,
    decline,
    pending_in_project,
)
from annotator.extensions import db
from annotator.models import BoilerplateProposal, Project
from annotator.projects import may_review

bp = Blueprint("boilerplate", __name__)


@bp.get("/projects/<slug>/boilerplate-proposals")
@login_required
def proposals(slug: str) -> str:
    project = visible_project(db.session, current_user, slug)
    if not may_review(db.session, project, current_user):
        raise NotAllowed("Only the project's reviewers and admins decide boilerplate proposals.")
    rows = pending_in_project(db.session, project)
    return render_template(
        "boilerplate/proposals.html",
        project=project,
        rows=rows,
        total=count_pending(db.session, project),
        form=DecideForm(),
    )


@bp.post("/boilerplate-proposals/<int:proposal_id>/confirm")
@login_required
def confirm_proposal(proposal_id: int) -> Response | tuple[str, int]:
    proposal = _decidable(proposal_id)
    form = DecideForm()
    form.validate_on_submit()  # CSRF is checked before any view; the fields are optional
    project = proposal.paragraph.article.project
    try:
        confirm(db.session, current_user, proposal, form.include_annotated.data == "1")
    except AnnotatedParagraph as warning:
        db.session.rollback()
        page = render_template(
            "boilerplate/confirm.html",
            project=project,
            proposal=proposal,
            annotations=warning.annotations,
            form=form,
        )
        return page, 409
    except ProposalError as exc:
        return _refused(exc, project, form)
    db.session.commit()
    flash(f"Paragraph {proposal.paragraph.position + 1} is now {_flag(proposal)}.", "success")
    return redirect(_back(project, form))


@bp.post("/boilerplate-proposals/<int:proposal_id>/decline")
@login_required
def decline_proposal(proposal_id: int) -> Response:
    proposal = _decidable(proposal_id)
    form = DecideForm()
    form.validate_on_submit()
    project = proposal.paragraph.article.project
    try:
        decline(db.session, current_user, proposal)
    except ProposalError as exc:
        return _refused(exc, project, form)
    db.session.commit()
    flash(f"Declined: paragraph {proposal.paragraph.position + 1} stays as it is.", "success")
    return redirect(_back(project, form))


def _decidable(proposal_id: int) -> BoilerplateProposal:
    """The proposal, if its project is one this user reviews: 404 unseen, 403 not a reviewer."""
    found = db.session.get(BoilerplateProposal, proposal_id)
    paragraph = reviewable(db.session, current_user, found.paragraph if found else None, "proposal")
    assert found is not None and paragraph is found.paragraph
    return found


def _refused(exc: ProposalError, project: Project, form: DecideForm) -> Response:
    db.session.rollback()
    flash(exc.message, "error")
    return redirect(_back(project, form))


def _back(project: Project, form: DecideForm) -> str:
    """The admin's boilerplate tab when the decision came from there, else the list."""
    if form.back.data == "admin" and current_user.is_admin:
        return url_for("admin.boilerplate", slug=project.slug)
    return url_for("boilerplate.proposals", slug=project.slug)


def _flag(proposal: BoilerplateProposal) -> str:
    return "boilerplate" if proposal.makes_boilerplate else "content"
