"""`python -m bench pdf`: the baseline it compares against renders the same contract form.

The PDF figures compare our export with WeasyPrint rendering the print HTML directly; that
HTML is built by the bench itself, so it must stay the technical contract as 李明 sees it
(this once broke silently when print_model moved: `make bench` stopped at the PDF figure).
"""
from bench import pdf
from bench.common import workdir


def test_the_pdf_bench_builds_the_contracts_print_page_and_exports_it():
    with workdir() as folder:
        app, client, serial = pdf._setup(folder)
        html = pdf._html(app, serial)
        assert "高强度纸基材料制备技术开发" in html and "山东晨鸣纸业集团" in html
        assert str(serial) in html
        assert pdf._export(client, serial) > 0          # asserts a %PDF answer itself
