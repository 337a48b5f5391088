"""Users, departments, roles and API tokens — used by the CLI, demo data and the designer."""
import csv
import hashlib
import secrets

from peewee import JOIN

from app.db import db
from app.models import ApiToken, Department, Role, User, UserRole
from app.people.idcards import mask_id_card
from app.people.passwords import hash_password, initial_password
from app.db.prepared import PreparedQuery

USER_TYPES = ("staff", "student", "external")
ROLE_NAMES = {
    "admin": "系统管理员", "dept_admin": "部门管理员", "dept_leader": "单位领导",
    "office_director": "办公室主任", "seal_keeper": "印章管理员", "org_officer": "组织部审批人",
    "contract_admin": "合同管理员", "dorm_manager": "宿舍维修管理员",
    "network_engineer": "网络工程师", "hall_operator": "办事大厅运维", "school_leader": "校领导",
    "counselor": "辅导员",
}


class DirectoryError(ValueError):
    pass


def department(name: str) -> Department:
    dept, _ = Department.get_or_create(name=name.strip())
    return dept


def role(code: str) -> Role:
    r, _ = Role.get_or_create(code=code, defaults={"name": ROLE_NAMES.get(code, code)})
    return r


def add_user(username, *, name, type, department_name=None, roles=(), id_card=None,
             phone=None, email=None, password=None) -> User:
    """Create a user whose password is the initial one (last six of the ID card) unless given.

    A role written ``code@部门`` is held within that department; a plain code is held within
    the user's own department.
    """
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise DirectoryError("用户名不能为空且不超过64个字符")
    if type not in USER_TYPES:
        raise DirectoryError(f"用户类型必须是 {'/'.join(USER_TYPES)} 之一")
    if User.get_or_none(User.username == username):
        raise DirectoryError(f"用户 {username} 已存在")
    secret = password or initial_password(id_card)
    if not secret:
        raise DirectoryError("需要身份证号（初始密码为身份证后六位）或密码")
    with db.atomic():
        dept = department(department_name) if department_name else None
        user = User.create(username=username, name=name, type=type, department=dept,
                           id_card=id_card or None, phone=phone or None, email=email or None,
                           password_hash=hash_password(secret), activated=bool(password))
        for code in roles:
            grant(user, code)
    return user


def grant(user: User, code: str) -> None:
    code, _, dept_name = code.strip().partition("@")
    if not code:
        return
    dept = department(dept_name) if dept_name else user.department
    UserRole.get_or_create(user=user, role=role(code), department=dept)
    user.__dict__.pop("_role_holdings", None)


def import_csv(path, progress=None) -> tuple[int, list[str]]:
    """Columns username,name,type,department,roles,id_card,phone,email. Returns (created, errors)."""
    created, errors = 0, []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for lineno, row in enumerate(csv.DictReader(f), start=2):
            try:
                add_user(row.get("username"), name=(row.get("name") or "").strip(),
                         type=(row.get("type") or "").strip(),
                         department_name=(row.get("department") or "").strip() or None,
                         roles=[r for r in (row.get("roles") or "").replace(";", ",").split(",") if r.strip()],
                         id_card=(row.get("id_card") or "").strip() or None,
                         phone=(row.get("phone") or "").strip(), email=(row.get("email") or "").strip())
                created += 1
            except DirectoryError as e:
                errors.append(f"{path}:{lineno}: {e}")
            if progress:
                progress(lineno - 1)
    return created, errors


def new_token(user: User) -> str:
    token = secrets.token_urlsafe(32)
    ApiToken.create(user=user, token_hash=hashlib.sha256(token.encode()).hexdigest())
    return token


TOKEN_ROW = PreparedQuery(              # every API call with a token asks
    lambda digest: (ApiToken.select(ApiToken, User, Department).join(User)
                    .join(Department, JOIN.LEFT_OUTER, on=(User.department == Department.id))
                    .where(ApiToken.token_hash == digest).limit(1)),
    digest=str).named("directory.token_row", digest=lambda w: w.token_digest)


def user_for_token(token: str):
    """The active user a token stands for, with their department (one prepared query: it
    runs on every API request)."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = TOKEN_ROW.first(digest=digest)
    if row is None or not row.user.is_active:
        return None
    return row.user


def users_with_id_card(number: str):
    """Users registered with this ID card number, found by its keyed hash (the number itself
    is stored encrypted and cannot be compared in SQL)."""
    from app.people import idcards
    if not (number or "").strip():
        return User.select().where(False)
    return User.select().where(User.id_card_hash.in_(idcards.lookup_hashes(number)))


def rekey_id_cards() -> int:
    """Re-encrypt every stored ID card number with the first key of ID_CARD_KEY and rewrite
    its lookup hash (``flask users rekey``, after a new key was put first)."""
    from app import audit
    from app.people import idcards
    count = 0
    with db.atomic():
        rows = list(User.select(User.id, User.id_card).where(User.id_card.is_null(False)).tuples())
        for user_id, number in rows:
            User.update({User.id_card: idcards.normalize(number),
                         User.id_card_hash: idcards.lookup_hash(number)}
                        ).where(User.id == user_id).execute()
            count += 1
        audit.record("id_rekey", None, f"{count} 个身份证号已用新密钥重新加密")
    return count


def id_card_for(viewer, owner) -> str:
    """The full number only for its owner and administrators; everyone else sees it masked."""
    from app.people.roles import is_admin
    if viewer is not None and (viewer.id == owner.id or is_admin(viewer)):
        if owner.id_card:
            from app import audit
            audit.record("id_reveal", viewer, f"查看 {owner.username} 的完整身份证号")
        return owner.id_card or ""
    return mask_id_card(owner.id_card)
