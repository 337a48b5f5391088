"""The retired tabbed field and step editors: their URLs open the builder (one editor).

Old bookmarks and links (表单字段, 流程步骤, their edit/add/move/delete pages) answer 302 to
the builder page of the same draft; a draft the admin may not manage (or none) is a 404."""
from flask import redirect, url_for
from flask_admin import expose

_GET_POST = ("GET", "POST")


class RetiredEditorRoutes:
    def _to_builder(self, draft_id):
        draft = self.draft_or_404(draft_id)
        return redirect(url_for("designer_builder.edit", draft_id=draft.id))

    @expose("/<int:draft_id>/fields", methods=_GET_POST)
    def fields(self, draft_id):
        return self._to_builder(draft_id)

    @expose("/<int:draft_id>/fields/<any(edit, add, move, delete):action>", methods=_GET_POST)
    def field_action(self, draft_id, action):
        return self._to_builder(draft_id)

    @expose("/<int:draft_id>/steps", methods=_GET_POST)
    def steps(self, draft_id):
        return self._to_builder(draft_id)

    @expose("/<int:draft_id>/steps/<any(edit, add, move, delete):action>", methods=_GET_POST)
    def step_action(self, draft_id, action):
        return self._to_builder(draft_id)
