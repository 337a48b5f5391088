"""Charts of 统计分析 drawn server-side by pygal as inline SVG: no CDN, no script.

pygal builds the SVG as an element tree (so every label is escaped when serialised); we
drop its <script> elements (the tooltip loader and its config), any event-handler
attribute and any link before serialising, so the page's CSP needs nothing for charts.
The numbers are always in a table beside each chart; the SVG is a picture of them.
"""
from __future__ import annotations

import functools

from markupsafe import Markup

FONT = '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
SIZE = {"half": dict(width=520, height=340), "wide": dict(width=960, height=380)}


@functools.cache
def _pygal():
    """pygal and the options every chart shares, loaded with the first chart (not at start-up)."""
    import pygal
    from pygal.style import Style
    style = Style(
        background="transparent", plot_background="#ffffff", foreground="#333333",
        foreground_strong="#111111", foreground_subtle="#cccccc", opacity=".85",
        opacity_hover=".95", colors=("#1f6fb2", "#2e9d5b", "#d9822b", "#c23b3b", "#7b5cb8"),
        font_family=FONT, label_font_family=FONT, major_label_font_family=FONT,
        value_font_family=FONT, legend_font_family=FONT, title_font_family=FONT,
        label_font_size=12, major_label_font_size=12, legend_font_size=13, title_font_size=15)
    common = dict(js=[], style=style, disable_xml_declaration=True, legend_at_bottom=True,
                  print_values=False, truncate_label=14, truncate_legend=16, margin=12, spacing=12,
                  no_data_text="暂无数据", show_y_guides=True, show_x_guides=False)
    return pygal, common


def line_chart(title: str, labels: list[str], series: dict[str, list], size="half") -> Markup:
    pygal, common = _pygal()
    chart = pygal.Line(title=title, dots_size=3, x_label_rotation=30 if len(labels) > 8 else 0,
                       legend_at_bottom_columns=len(series), **SIZE[size], **common)
    return _render(chart, title, labels, series)


def bar_chart(title: str, labels: list[str], series: dict[str, list], size="half") -> Markup:
    """Vertical bars for a few labels, horizontal ones when there are many (long names)."""
    pygal, common = _pygal()
    kind = pygal.HorizontalBar if len(labels) > 6 else pygal.Bar
    chart = kind(title=title, legend_at_bottom_columns=len(series), **SIZE[size], **common)
    return _render(chart, title, labels, series)


def _render(chart, title, labels, series) -> Markup:
    chart.x_labels = [str(label) for label in labels]
    for name, values in series.items():
        chart.add(str(name), [None if v is None else float(v) for v in values])
    tree = chart.render_tree()
    clean(tree)
    tree.set("role", "img")
    tree.set("aria-label", title)
    tree.set("class", "chart-svg")
    from lxml import etree
    # Markup is safe here: lxml serialises the tree, escaping every text and attribute
    # (labels and titles are typed by admins), and clean() above has removed scripts,
    # foreignObject, links and on*/href attributes (tests/stats/test_charts.py).
    return Markup(etree.tostring(tree, encoding="unicode"))


def clean(tree) -> None:
    """Remove scripts, comments, foreignObject, links and on* attributes, in place."""
    for element in list(tree.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        local = tag.rsplit("}", 1)[-1].lower()
        if not tag or local in ("script", "foreignobject", "a"):
            if local == "a":
                _unwrap(element)
            else:
                element.getparent().remove(element)
            continue
        for name in list(element.attrib):
            bare = name.rsplit("}", 1)[-1].lower()
            if bare.startswith("on") or bare == "href":
                del element.attrib[name]


def _unwrap(element) -> None:
    parent = element.getparent()
    index = parent.index(element)
    for child in list(element):
        parent.insert(index, child)
        index += 1
    parent.remove(element)
