"""Charts: pygal's SVG with every script, handler and link removed, labels escaped."""
from lxml import etree

from app.stats.charts import bar_chart, clean, line_chart


def test_labels_are_escaped_and_no_script_survives():
    svg = str(bar_chart("按服务<b>", ['<script>alert(1)</script>', 'a" onload="x'], {"发起": [1, 2]}))
    assert "<script" not in svg and "onload=" not in svg.replace('onload="x', "")
    assert "&lt;script&gt;" in svg
    tree = etree.fromstring(svg)
    assert tree.get("role") == "img" and tree.get("aria-label") == "按服务<b>"
    assert not [e for e in tree.iter() if isinstance(e.tag, str) and e.tag.endswith("script")]
    assert not any(a.lower().startswith("on") for e in tree.iter() if isinstance(e.tag, str) for a in e.attrib)


def test_clean_removes_handlers_links_and_foreign_objects():
    tree = etree.fromstring(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<script>x()</script><!-- c --><a xlink:href="javascript:x()"><rect onclick="x()" width="1"/></a>'
        '<foreignObject><div/></foreignObject><use href="http://evil/x.svg#a"/></svg>')
    clean(tree)
    out = etree.tostring(tree, encoding="unicode")
    assert "script" not in out and "onclick" not in out and "javascript" not in out
    assert "foreignObject" not in out and "href" not in out and "<!--" not in out
    assert '<rect width="1"/>' in out


def test_empty_chart_says_no_data():
    assert "暂无数据" in str(line_chart("按周趋势", [], {"发起": []}))
