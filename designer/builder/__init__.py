"""The builder: the designer's drag-and-drop editor of a draft (palette, canvas, property
panel, step chain). The page and its JSON endpoints are ``designer.views.builder``; this
package holds the plain functions they call: saving with a revision check (``store``),
generated identifiers (``idents``), name lookups (``lookups``) and mapping refused
definitions onto the builder's controls (``problems``)."""
