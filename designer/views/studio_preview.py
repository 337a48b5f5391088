"""Live preview: the form through the applicants' renderer, at desktop and phone width."""
from flask import request
from flask_admin import expose
from flask_login import current_user

from app.web import webforms
from app.engine.context import applicant_view
from app.engine.core import editable_fields
from app.web.security import allow_same_origin_framing
from designer import drafts, preview, scope


def sample_user():
    """The chosen sample applicant, among those the admin may pick (else the admin)."""
    wanted = request.args.get("user") or current_user.username
    choices = scope.user_choices(current_user)
    chosen = next((u for u in choices if u.username == wanted), None)
    return chosen or current_user._get_current_object(), choices


def previewed(draft):
    """预览 of ``draft`` as the chosen applicant: (sample, choices, compiled def, step checks) —
    the same for the 预览 tab and the builder's preview."""
    sample, choices = sample_user()
    sdef = drafts.compiled(draft)
    return sample, choices, sdef, preview.check_chain(sdef, sample)


class PreviewRoutes:
    @expose("/<int:draft_id>/preview")
    def preview(self, draft_id):
        draft = self.draft_or_404(draft_id)
        sample, choices, sdef, checks = previewed(draft)
        return self.tab("designer/preview.html", draft, "preview", sample=sample, choices=choices,
                        checks=checks, warnings=preview.problems(checks),
                        audience_ok=sample.type in sdef.audience)

    @expose("/<int:draft_id>/preview/frame")
    def preview_frame(self, draft_id):
        draft = self.draft_or_404(draft_id)
        allow_same_origin_framing()          # shown in the 预览 tab's iframes
        sample, _ = sample_user()
        sdef = drafts.compiled(draft)
        data = preview.sample_data(sdef, sample)
        editable = editable_fields(sdef, sdef.steps[0])
        wtform = webforms.build(sdef, data, editable)
        return self.render("designer/preview_frame.html", sdef=sdef, wtform=wtform, editable=editable,
                           applicant=applicant_view(sample),
                           milestones=preview.milestones(preview.check_chain(sdef, sample, data)))
