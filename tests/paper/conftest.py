from tests.designer.conftest import admin, dept_admin  # noqa: F401  (the designer's sign-ins)
