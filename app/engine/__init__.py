"""The workflow engine: plain Python over the models — no Flask, WTForms or renderers.

``core`` (start, submit, act, route), ``states`` (the statuses and actions as enums),
``machine`` (the guarded transition table, ``available_actions``, ``begin``/``finish``),
``queries`` (who may see what, boxes, milestones).
"""
