"""What every blueprint shares on the web side: error pages and JSON errors, security
headers and the CSP nonce, template filters, URL helpers, the glue between a POST and the
engine (``webforms``, ``uploads``, ``parked``), the lookups of a service or an instance the
user may see, 批量审批's one item, plugin widgets and the fragment store.

Above the engine, definitions and renderers; below the blueprints (``.importlinter``).
"""
