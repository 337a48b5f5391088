"""Demo departments, users and role holders (`flask demo`; `make run` on a new database)."""
from app.people.directory import add_user
from app.models import User

DEMO_PASSWORD = "demo1234"

# username, name, type, department, roles
PEOPLE = [
    ("admin", "系统管理员", "staff", "网络信息中心", ["admin"]),
    ("t1001", "梁震鲁", "staff", "网络信息中心", ["hall_operator", "network_engineer", "dept_admin"]),
    ("t1002", "王建国", "staff", "网络信息中心", ["dept_leader"]),
    ("t2001", "李明", "staff", "宣传部", []),
    ("t2002", "张华", "staff", "宣传部", ["dept_leader", "dept_admin"]),
    ("t3001", "赵敏", "staff", "办公室", ["office_director"]),
    ("t3002", "钱程", "staff", "办公室", ["seal_keeper", "dept_leader"]),
    ("t4001", "孙丽", "staff", "组织部", ["org_officer", "dept_leader"]),
    ("t5001", "周涛", "staff", "后勤管理处", ["dorm_manager"]),
    ("t5002", "何伟", "staff", "后勤管理处", ["dept_leader"]),
    ("t6001", "吴刚", "staff", "科研处", ["contract_admin", "dept_leader"]),
    ("t7001", "Alice", "staff", "计算机科学与技术学院", []),
    ("t7002", "郑强", "staff", "计算机科学与技术学院", ["dept_leader", "counselor"]),
    ("t8001", "冯校长", "staff", "办公室", ["school_leader"]),
    ("t9001", "陈静", "staff", "学生工作部", ["dept_leader", "dept_admin"]),
    ("t9002", "韩梅", "staff", "人事处", ["dept_leader"]),
    ("t9003", "杨帆", "staff", "财务处", ["dept_leader"]),
    ("t9004", "刘洋", "staff", "组织部", ["dept_admin"]),
    ("s2023001", "林小雨", "student", "计算机科学与技术学院", []),
    ("s2023002", "黄子涵", "student", "计算机科学与技术学院", []),
    ("e0001", "校外访客", "external", None, []),
]


def load_demo() -> list[tuple[str, str]]:
    """Create the demo people once; returns (username, name) of those created."""
    created = []
    for username, name, type_, dept, roles in PEOPLE:
        if User.get_or_none(User.username == username):
            continue
        add_user(username, name=name, type=type_, department_name=dept, roles=roles,
                 password=DEMO_PASSWORD, phone="1380000" + username[-4:].rjust(4, "0"),
                 email=f"{username}@example.edu.cn")
        created.append((username, name))
    return created
