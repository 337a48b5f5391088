"""The workflow engine: plain Python over the models — no Flask, WTForms or renderers.

``core`` (start, submit, act, route), ``states`` (statuses, the transition table,
``available_actions``), ``queries`` (who may see what, boxes, milestones).
"""
