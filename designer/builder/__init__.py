"""The builder: the designer's drag-and-drop editor of a draft (palette, canvas, property
panel, step chain). The page and its JSON endpoints are ``designer.views.builder``; this
package holds the plain functions they call: saving through the drafts' revision check
with generated identifiers (``store``), name lookups (``lookups``), what the page needs to
draw itself (``choices``) and refused definitions at the builder's controls (``problems``)."""
