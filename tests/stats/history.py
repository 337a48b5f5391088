"""A seeded history with known times (written as rows; no clock, no sleep).

Window: 2026-03-01 … 2026-03-31 (China-local days). Times are naive UTC as stored.

network-repair (网络信息中心, time_limit 2d = 48 h; steps fill → engineer):
  completed 5: hours to complete 10, 20, 30, 40, 100 → median 30, p90 76 (> 48: flagged)
               engineer waited 9, 19, 29, 39, 99 → median 29, p90 75
  terminated 1; running 2 (one overdue with an overdue engineer to-do held by t1001)
  1 draft (never counts); 1 submitted 2026-02-28 23:30 China time (outside);
  1 submitted 2026-03-01 00:30 China time (inside: the running, not overdue one)
feedback (网络信息中心, 7d): completed 2: 5 h and 7 h → median 6, p90 6.8
weekly-report (宣传部): completed 1: 3 h
Ratings: network-repair 5, 4, 2 (remark "太慢了"), feedback 3 (remark "=cmd|' /C calc'!A0");
  weekly-report 1 — totals over all: 5 ratings.
"""
from datetime import datetime, timedelta

from app.models import Instance, Service, ServiceVersion, Task, User
from app.models.hall import Rating

WINDOW = {"from": "2026-03-01", "to": "2026-03-31"}
FUTURE = datetime(2099, 1, 1)
PAST_DUE = datetime(2026, 3, 20)
_serial = [900000]


def user(username):
    return User.get(User.username == username)


def instance(slug, status, submitted, hours=None, due=None, applicant="t2001", waits=(), open_step=None,
             open_due=None, holder="t1001"):
    service = Service.get(Service.slug == slug)
    version = ServiceVersion.get(ServiceVersion.service == service,
                                 ServiceVersion.version == service.latest_version)
    _serial[0] += 1
    finished = submitted + timedelta(hours=hours) if hours is not None else None
    inst = Instance.create(serial=_serial[0], service=service, version=version,
                           applicant=user(applicant), title=f"{slug}-{_serial[0]}", status=status,
                           step=open_step, data={}, created=submitted - timedelta(minutes=5)
                           if submitted else datetime(2026, 3, 5), updated=finished or submitted or datetime(2026, 3, 5),
                           submitted=submitted, finished=finished, due=due)
    if submitted:
        Task.create(instance=inst, step="fill", step_name="填写", assignee=inst.applicant_id,
                    status="done", action="submit", created=submitted, acted=submitted)
    for step, name, wait in waits:
        created = submitted + timedelta(hours=1)
        Task.create(instance=inst, step=step, step_name=name, assignee=user(holder), status="done",
                    action="approve", created=created, acted=created + timedelta(hours=wait))
    if open_step:
        Task.create(instance=inst, step=open_step, step_name=open_step, assignee=user(holder),
                    status="open", created=submitted + timedelta(hours=1), due=open_due)
    return inst


def rate(inst, stars, remark=""):
    return Rating.create(instance=inst, service=inst.service_id, user=inst.applicant_id,
                         stars=stars, remark=remark, created=inst.finished + timedelta(hours=1))


def seed():
    """Returns the instances by name."""
    at = datetime(2026, 3, 10, 2, 0)            # 10:00 China time
    out = {}
    net = [instance("network-repair", "completed", at + timedelta(days=i), hours=h,
                    due=at + timedelta(days=i + 2), waits=[("engineer", "网络工程师处理", h - 1)])
           for i, h in enumerate((10, 20, 30, 40, 100))]
    out["net"] = net
    out["terminated"] = instance("network-repair", "terminated", at + timedelta(days=6), hours=1)
    out["overdue"] = instance("network-repair", "running", at + timedelta(days=7), due=PAST_DUE,
                              open_step="engineer", open_due=PAST_DUE)
    out["edge_in"] = instance("network-repair", "running", datetime(2026, 2, 28, 16, 30), due=FUTURE,
                              open_step="engineer", open_due=FUTURE)
    out["edge_out"] = instance("network-repair", "completed", datetime(2026, 2, 28, 15, 30), hours=500,
                               waits=[("engineer", "网络工程师处理", 400)])
    out["draft"] = instance("network-repair", "draft", None)
    fb = [instance("feedback", "completed", at + timedelta(days=i), hours=h, applicant="s2023001",
                   waits=[("operator", "运维处理", h - 1)], holder="t1001")
          for i, h in enumerate((5, 7))]
    out["fb"] = fb
    out["weekly"] = instance("weekly-report", "completed", at + timedelta(days=15), hours=3,
                             waits=[("leader", "领导审批", 2)], holder="t2002")
    rate(net[0], 5)
    rate(net[1], 4)
    rate(net[2], 2, "太慢了")
    rate(fb[0], 3, "=cmd|' /C calc'!A0")
    rate(out["weekly"], 1, "<script>alert(1)</script>")
    return out
